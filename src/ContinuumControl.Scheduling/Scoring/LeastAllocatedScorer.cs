namespace ContinuumControl.Scheduling.Scoring;

/// <summary>Prefers the node with the most room left after the placement (slots and memory, whichever is tighter).</summary>
public sealed class LeastAllocatedScorer : IPlacementScorer
{
    public string Name => PlacementScorers.LeastAllocated;

    public double Score(NodeCandidate node, ScoringContext context) =>
        Math.Clamp(1 - node.LoadWith(context.Workload.MemoryBytes, 1), 0, 1);
}
