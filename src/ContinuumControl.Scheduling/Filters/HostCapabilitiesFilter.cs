using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Scheduling.Filters;

/// <summary>The node must offer every host import module the workload's module needs and every volume it mounts.</summary>
public sealed class HostCapabilitiesFilter : IPlacementFilter
{
    public string Name => PlacementFilters.HostCapabilities;

    public string? Reject(NodeCandidate node, PlacementRequest request)
    {
        var missing = request.RequiredCapabilities.Where(c => !node.Capabilities.Contains(c)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }
        var volumes = missing.Select(NodeVolumes.FromCapability).OfType<string>().ToList();
        var imports = missing.Where(c => NodeVolumes.FromCapability(c) is null).ToList();
        var reasons = new List<string>();
        if (imports.Count > 0)
        {
            reasons.Add($"does not offer host capability {string.Join(", ", imports)}");
        }
        if (volumes.Count > 0)
        {
            reasons.Add($"has no volume {string.Join(", ", volumes.Select(v => $"'{v}'"))} (Agent:Volumes on its agent)");
        }
        return string.Join("; ", reasons);
    }
}
