namespace ContinuumControl.Server.AgentSessions;

/// <summary>A request from an agent that the control plane refuses; the hub passes the message on to the agent.</summary>
public sealed class AgentRefusedException(string message) : Exception(message);
