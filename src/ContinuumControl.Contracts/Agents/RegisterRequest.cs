namespace ContinuumControl.Contracts.Agents;

/// <summary>Registration: the node and the workloads the agent runs right now (for reconciliation after a reconnect).</summary>
public sealed record RegisterRequest(NodeDescriptor Node, IReadOnlyList<RunningWorkload> Running);

/// <summary>A workload an agent runs, with the placement generation it was started under.</summary>
/// <param name="Paused">True when it waits paused at a checkpoint (a migration was under way).</param>
public sealed record RunningWorkload(Guid WorkloadId, long Generation, bool Paused = false);
