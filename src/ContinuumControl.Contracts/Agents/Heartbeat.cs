namespace ContinuumControl.Contracts.Agents;

/// <summary>An agent's liveness signal with its current usage.</summary>
public sealed record Heartbeat(Guid NodeId, double CpuPercent, long MemoryUsedBytes, int RunningWorkloads, int QueuedWorkloads);

/// <summary>The server's answer to a heartbeat.</summary>
/// <param name="Known">False when the server does not know the node: the agent must register again.</param>
/// <param name="HeartbeatTtlMs">Current TTL.</param>
public sealed record HeartbeatAck(bool Known, int HeartbeatTtlMs);
