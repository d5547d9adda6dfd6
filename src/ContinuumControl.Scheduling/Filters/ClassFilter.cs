namespace ContinuumControl.Scheduling.Filters;

/// <summary>A workload that asks for Edge or Cloud only goes to nodes of that class.</summary>
public sealed class ClassFilter : IPlacementFilter
{
    public string Name => PlacementFilters.Class;

    public string? Reject(NodeCandidate node, PlacementRequest request) =>
        request.Constraints.Class is { } wanted && wanted != node.Class
            ? $"node class is {node.Class}, the workload requires {wanted}"
            : null;
}
