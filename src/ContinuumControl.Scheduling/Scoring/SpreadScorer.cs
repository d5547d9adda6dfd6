namespace ContinuumControl.Scheduling.Scoring;

/// <summary>Prefers nodes running fewer copies of the same module: replicas spread, so one lost node costs fewer of them.</summary>
public sealed class SpreadScorer : IPlacementScorer
{
    public string Name => PlacementScorers.Spread;

    public double Score(NodeCandidate node, ScoringContext context) =>
        1.0 / (1 + node.Modules.GetValueOrDefault(context.Workload.ModuleHash));
}
