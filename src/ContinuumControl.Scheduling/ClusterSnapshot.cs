namespace ContinuumControl.Scheduling;

/// <summary>A migration under way: its workload is not planned again, and it counts against the concurrency caps.</summary>
/// <param name="MigrationId">Named in a refusal, so the operator knows which migration to wait for.</param>
public sealed record MigrationInFlight(Guid WorkloadId, Guid FromNodeId, Guid ToNodeId, Guid MigrationId);

/// <summary>The cluster at one moment, read-only: what the scheduler plans on.</summary>
/// <param name="Workloads">Unfinished workloads (a Submitted evaluation needs only the one to place).</param>
public sealed record ClusterSnapshot(IReadOnlyList<NodeCandidate> Nodes, IReadOnlyList<WorkloadView> Workloads, IReadOnlyList<MigrationInFlight> InFlight, DateTimeOffset TakenAt);
