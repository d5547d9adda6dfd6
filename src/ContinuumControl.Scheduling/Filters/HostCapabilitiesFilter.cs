namespace ContinuumControl.Scheduling.Filters;

/// <summary>The node must offer every host import module the workload's module needs.</summary>
public sealed class HostCapabilitiesFilter : IPlacementFilter
{
    public string Name => PlacementFilters.HostCapabilities;

    public string? Reject(NodeCandidate node, PlacementRequest request)
    {
        var missing = request.RequiredCapabilities.Where(c => !node.Capabilities.Contains(c)).ToList();
        return missing.Count == 0 ? null : $"does not offer host capability {string.Join(", ", missing)}";
    }
}
