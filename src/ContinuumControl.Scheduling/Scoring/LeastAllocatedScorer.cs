namespace ContinuumControl.Scheduling.Scoring;

/// <summary>
/// Prefers the node with the most room left after the placement (slots and memory, whichever is tighter). 1 / (1 + load)
/// rather than 1 - load: an overcommitted node (load above 1) still scores lower than a less overcommitted one.
/// </summary>
public sealed class LeastAllocatedScorer : IPlacementScorer
{
    public string Name => PlacementScorers.LeastAllocated;

    public double Score(NodeCandidate node, ScoringContext context) =>
        1 / (1 + Math.Max(0, node.LoadWith(context.Workload.MemoryBytes, 1)));
}
