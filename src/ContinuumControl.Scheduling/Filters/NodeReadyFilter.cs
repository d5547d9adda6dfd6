using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Scheduling.Filters;

/// <summary>Only Ready nodes take new work: Draining and Down nodes do not.</summary>
public sealed class NodeReadyFilter : IPlacementFilter
{
    public string Name => PlacementFilters.NodeReady;

    public string? Reject(NodeCandidate node, PlacementRequest request) =>
        node.State == NodeState.Ready ? null : $"node is {node.State}, not Ready";
}
