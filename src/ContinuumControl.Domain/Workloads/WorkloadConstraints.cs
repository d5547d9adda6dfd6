using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Domain.Workloads;

/// <summary>Where a workload may run: an optional node class and labels every candidate must carry.</summary>
public sealed record WorkloadConstraints(NodeClass? Class, IReadOnlyDictionary<string, string> Labels)
{
    public static readonly WorkloadConstraints None = new(null, new Dictionary<string, string>());
}
