namespace ContinuumControl.Server.Agents;

/// <summary>A command that had to reach a node's agent did not: the agent is not connected or did not take it in time.</summary>
public sealed class AgentUnreachableException(string reason) : Exception(reason);
