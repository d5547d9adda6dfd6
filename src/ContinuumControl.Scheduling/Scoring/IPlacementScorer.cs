namespace ContinuumControl.Scheduling.Scoring;

/// <summary>A named preference among nodes that passed every filter: 0 (worst) .. 1 (best).</summary>
public interface IPlacementScorer
{
    /// <summary>The scorer's name, as used in configuration (Orchestration:Scheduler:Scorers:Name = weight).</summary>
    string Name { get; }

    double Score(NodeCandidate node, ScoringContext context);
}

/// <summary>What is being placed: the workload, and for a move the node it leaves.</summary>
public sealed record ScoringContext(WorkloadView Workload, NodeCandidate? Source)
{
    public bool IsMove => Source is not null;
}
