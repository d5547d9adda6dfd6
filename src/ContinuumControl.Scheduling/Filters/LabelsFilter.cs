namespace ContinuumControl.Scheduling.Filters;

/// <summary>Every label the workload requires must be on the node with the same value.</summary>
public sealed class LabelsFilter : IPlacementFilter
{
    public string Name => PlacementFilters.Labels;

    public string? Reject(NodeCandidate node, PlacementRequest request)
    {
        var missing = request.Constraints.Labels
            .Where(l => !node.Labels.TryGetValue(l.Key, out var v) || v != l.Value)
            .Select(l => $"{l.Key}={l.Value}")
            .ToList();
        return missing.Count == 0 ? null : $"missing label {string.Join(", ", missing)}";
    }
}
