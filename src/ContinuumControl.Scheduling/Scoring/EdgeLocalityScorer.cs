using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Scheduling.Scoring;

/// <summary>
/// Keeps work near where it runs: a workload moving away prefers a node in the same zone (then of the same class);
/// a new workload without a class requirement prefers the edge, where the data is, over the cloud.
/// </summary>
public sealed class EdgeLocalityScorer : IPlacementScorer
{
    public string Name => PlacementScorers.EdgeLocality;

    public double Score(NodeCandidate node, ScoringContext context)
    {
        if (context.Source is { } source)
        {
            if (source.Zone is not null && source.Zone == node.Zone)
            {
                return 1;
            }
            return source.Class == node.Class ? 0.5 : 0;
        }
        return node.Class == NodeClass.Edge ? 1 : 0.5;
    }
}
