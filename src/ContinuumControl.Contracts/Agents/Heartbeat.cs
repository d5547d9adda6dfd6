namespace ContinuumControl.Contracts.Agents;

/// <summary>An agent's liveness signal with its current usage.</summary>
/// <param name="Pressure">The local scheduler's load; null from agents without one.</param>
/// <param name="Energy">Stored energy and harvest of an energy-harvesting node; null for mains power.</param>
public sealed record Heartbeat(Guid NodeId, double CpuPercent, long MemoryUsedBytes, int RunningWorkloads, int QueuedWorkloads, NodePressure? Pressure = null, EnergyReport? Energy = null);

/// <summary>How loaded a node's local scheduler is.</summary>
/// <param name="Slots">Workloads it runs at once (default: cores).</param>
/// <param name="SlotsUsed">Slots running a workload now.</param>
/// <param name="Queued">Admitted workloads waiting for a slot.</param>
/// <param name="Suspended">Workloads preempted at a safe point, waiting to run again.</param>
public sealed record NodePressure(int Slots, int SlotsUsed, int Queued, int Suspended);

/// <summary>An energy-harvesting node's store: level 0..1 of capacity, power in and out, and time until it must suspend work.</summary>
/// <param name="SecondsLeft">Until the store falls to the suspend level at the current net draw; null when it is not falling.</param>
public sealed record EnergyReport(double Level, double HarvestWatts, double DrawWatts, double? SecondsLeft);

/// <summary>The server's answer to a heartbeat.</summary>
/// <param name="Known">False when the server does not know the node: the agent must register again.</param>
/// <param name="HeartbeatTtlMs">Current TTL.</param>
public sealed record HeartbeatAck(bool Known, int HeartbeatTtlMs);
