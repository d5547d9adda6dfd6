using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling;

/// <summary>A read-only view of one unfinished workload as the scheduler sees it.</summary>
/// <param name="NodeId">Where it is placed; null for a new workload.</param>
/// <param name="RequiredCapabilities">Host import modules its module needs and the volumes it mounts ("volume:&lt;name&gt;").</param>
/// <param name="LastMovedAt">When it last finished a migration; Rebalance leaves recently moved work alone.</param>
/// <param name="HasCheckpoint">It has a periodic checkpoint to resume from after its node is lost.</param>
public sealed record WorkloadView(
    Guid Id,
    string Name,
    Guid? NodeId,
    string ModuleHash,
    long MemoryBytes,
    WorkloadConstraints Constraints,
    IReadOnlyList<string> RequiredCapabilities,
    WorkloadPriority Priority,
    bool Pinned,
    WorkloadState State,
    DateTimeOffset? LastMovedAt,
    bool HasCheckpoint)
{
    public PlacementRequest Request => new(MemoryBytes, Constraints, RequiredCapabilities);

    /// <summary>Holds a slot or a place in a queue on its node.</summary>
    public bool IsActive => NodeId is not null && State is WorkloadState.Pending or WorkloadState.Running or WorkloadState.Queued or WorkloadState.Suspended;
}
