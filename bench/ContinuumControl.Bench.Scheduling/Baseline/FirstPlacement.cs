using ContinuumControl.Scheduling;
using ContinuumControl.Scheduling.Filters;

namespace ContinuumControl.Bench.Scheduling.Baseline;

/// <summary>
/// The foundation's placement, kept only as this benchmark's baseline (the product places through the Scheduler):
/// every filter must pass on every node; among those left, the least loaded wins.
/// </summary>
public sealed class FirstPlacement(IReadOnlyList<IPlacementFilter> filters)
{
    public FirstPlacement()
        : this(PlacementFilters.Default)
    {
    }

    public PlacementDecision Choose(IReadOnlyList<NodeCandidate> nodes, PlacementRequest request)
    {
        var rejections = new List<NodeRejection>();
        NodeCandidate? best = null;
        foreach (var node in nodes)
        {
            var rejection = filters.Select(f => (f.Name, Reason: f.Reject(node, request))).FirstOrDefault(r => r.Reason is not null);
            if (rejection.Reason is not null)
            {
                rejections.Add(new NodeRejection(node.Name, rejection.Name, rejection.Reason));
                continue;
            }
            if (best is null || Load(node) < Load(best) || (Load(node) == Load(best) && string.CompareOrdinal(node.Name, best.Name) < 0))
            {
                best = node;
            }
        }
        return new PlacementDecision(best, rejections);
    }

    /// <summary>Fraction of memory promised, with the workload count as a tie-breaker so empty nodes fill evenly.</summary>
    private static double Load(NodeCandidate node) =>
        (node.MemoryBytes == 0 ? 1 : (double)node.MemoryAllocatedBytes / node.MemoryBytes) + (node.Workloads * 1e-6);
}
