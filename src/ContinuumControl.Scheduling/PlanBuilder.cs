using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Scoring;

namespace ContinuumControl.Scheduling;

/// <summary>Collects one evaluation's placements, migrations and refusals, keeping the working cluster up to date.</summary>
internal sealed class PlanBuilder(Evaluation evaluation, WorkingCluster cluster, NodeSelector selector, Random random)
{
    private readonly List<PlannedPlacement> _placements = [];
    private readonly List<PlannedMigration> _migrations = [];
    private readonly List<WorkloadRefusal> _refusals = [];

    public WorkingCluster Cluster { get; } = cluster;
    public NodeSelector Selector { get; } = selector;
    public Random Random { get; } = random;

    /// <summary>Binds the workload to the best node other than <paramref name="leaving"/>; refuses with every node's reason when none fits.</summary>
    public bool Place(WorkloadView workload, NodeCandidate? leaving, string reason, bool fromCheckpoint, NodeCheck? extra = null)
    {
        var selection = Selector.Select(Cluster, workload, leaving, Random, extra);
        if (selection.Node is not { } node)
        {
            Refuse(workload, NoNode(selection), selection.Explained);
            return false;
        }
        _placements.Add(new PlannedPlacement(workload.Id, node.Id, selection.Score, reason, fromCheckpoint));
        Cluster.Assign(workload, workload.NodeId, node.Id, isMigration: false);
        return true;
    }

    /// <summary>Moves a workload off <paramref name="source"/>: live migration when it runs, re-placement when it never started.</summary>
    public bool Relocate(WorkloadView workload, NodeCandidate source, string reason, NodeCheck? extra = null)
    {
        switch (workload.State)
        {
            case WorkloadState.Running:
                var selection = Selector.Select(Cluster, workload, source, Random, extra);
                if (selection.Node is not { } target)
                {
                    Refuse(workload, NoNode(selection), selection.Explained);
                    return false;
                }
                Migrate(workload, source, target, selection.Score, reason);
                return true;
            case WorkloadState.Queued or WorkloadState.Pending:
                return Place(workload, source, $"{reason}; it had not started, so it starts on the new node", fromCheckpoint: false, extra);
            default:
                Refuse(workload, $"{workload.Name} is {workload.State} on {source.Name}; it can move once it runs again");
                return false;
        }
    }

    public void Migrate(WorkloadView workload, NodeCandidate source, NodeCandidate target, double score, string reason)
    {
        _migrations.Add(new PlannedMigration(workload.Id, source.Id, target.Id, score, reason));
        Cluster.Assign(workload, source.Id, target.Id, isMigration: true);
    }

    public void Refuse(WorkloadView workload, string reason, IReadOnlyList<NodeRejection>? candidates = null) =>
        _refusals.Add(new WorkloadRefusal(workload.Id, reason, candidates ?? []));

    public double Score(NodeCandidate node, WorkloadView workload, NodeCandidate? source) => Selector.Score(node, new ScoringContext(workload, source));

    public Plan Build() => new(evaluation.Id, _placements, _migrations, _refusals);

    private static string NoNode(Selection selection) =>
        selection.Rejected == 0 ? "no other node in the cluster" : $"no node fits: {new PlacementDecision(null, selection.Rejections).Explain()}";
}
