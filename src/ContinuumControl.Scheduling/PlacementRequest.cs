using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling;

/// <summary>What a workload needs from the node it is placed on.</summary>
public sealed record PlacementRequest(long MemoryBytes, WorkloadConstraints Constraints, IReadOnlyList<string> RequiredCapabilities);
