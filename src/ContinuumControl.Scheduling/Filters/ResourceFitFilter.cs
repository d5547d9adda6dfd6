namespace ContinuumControl.Scheduling.Filters;

/// <summary>The workload's memory limit must fit in what the node has not yet promised to others.</summary>
public sealed class ResourceFitFilter : IPlacementFilter
{
    public string Name => PlacementFilters.ResourceFit;

    public string? Reject(NodeCandidate node, PlacementRequest request) =>
        request.MemoryBytes <= node.MemoryFreeBytes
            ? null
            : $"not enough memory: needs {Mib(request.MemoryBytes)} MiB, {Mib(Math.Max(0, node.MemoryFreeBytes))} MiB free of {Mib(node.MemoryBytes)} MiB";

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
