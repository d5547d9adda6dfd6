namespace ContinuumControl.Scheduling.Filters;

/// <summary>A named check a node must pass to take a workload.</summary>
public interface IPlacementFilter
{
    /// <summary>The filter's name, as used in configuration and in rejections.</summary>
    string Name { get; }

    /// <summary>Null when <paramref name="node"/> passes, otherwise why it does not.</summary>
    string? Reject(NodeCandidate node, PlacementRequest request);
}
