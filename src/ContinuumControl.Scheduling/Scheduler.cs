using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Scheduling;

/// <summary>
/// Cluster-level scheduling, pure and I/O-free: an evaluation and a read-only snapshot in, a plan out (Nomad's
/// evaluate -> plan). Committing the plan is the caller's business (see <see cref="PlanApplier"/>).
/// </summary>
public sealed class Scheduler(SchedulerConfiguration configuration, TimeProvider time)
{
    private readonly NodeSelector _selector = new(configuration);
    private readonly Rebalancer _rebalancer = new(configuration, time);

    public Scheduler()
        : this(SchedulerConfiguration.Default, TimeProvider.System)
    {
    }

    public SchedulerConfiguration Configuration => configuration;

    public Plan Process(Evaluation evaluation, ClusterSnapshot snapshot)
    {
        var builder = new PlanBuilder(evaluation, new WorkingCluster(snapshot), _selector, new Random(evaluation.Id.GetHashCode()));
        switch (evaluation.Trigger)
        {
            case EvaluationTrigger.Submitted:
                Submitted(builder, evaluation);
                break;
            case EvaluationTrigger.NodeDown:
                NodeDown(builder, evaluation);
                break;
            case EvaluationTrigger.Drain:
                EmptyNode(builder, builder.Cluster.Node(evaluation.NodeId), n => $"{n.Name} is draining", "drain");
                break;
            case EvaluationTrigger.OperatorMove:
                OperatorMove(builder, evaluation);
                break;
            case EvaluationTrigger.Offload:
                Offload(builder, evaluation);
                break;
            case EvaluationTrigger.EnergyLow:
                EnergyLow(builder, evaluation);
                break;
            case EvaluationTrigger.Rebalance:
                _rebalancer.Plan(builder);
                break;
        }
        return builder.Build();
    }

    private static void Submitted(PlanBuilder plan, Evaluation evaluation)
    {
        var workloads = evaluation.WorkloadId is { } id
            ? plan.Cluster.Workload(id) is { } one ? [one] : []
            : plan.Cluster.Snapshot.Workloads.Where(w => w.NodeId is null && w.State == WorkloadState.Pending).ToList();
        foreach (var workload in workloads)
        {
            // A workload placed again after its run was lost (see the server's RestartSweeper) resumes from its checkpoint.
            plan.Place(workload, null, workload.HasCheckpoint ? "placed again; resumes from its last checkpoint" : "new workload", fromCheckpoint: workload.HasCheckpoint);
        }
    }

    private static void NodeDown(PlanBuilder plan, Evaluation evaluation)
    {
        if (plan.Cluster.Node(evaluation.NodeId) is not { } lost)
        {
            return;
        }
        // The most important work first, while capacity lasts.
        foreach (var workload in plan.Cluster.On(lost.Id).Where(w => w.IsActive).OrderByDescending(w => w.Priority).ThenByDescending(w => w.MemoryBytes))
        {
            var from = workload.HasCheckpoint ? "resumes from its last checkpoint" : "starts over (no checkpoint yet)";
            plan.Place(workload, lost, $"{lost.Name} is Down; {from}", fromCheckpoint: workload.HasCheckpoint);
        }
    }

    /// <summary>Moves everything off a node: running work migrates live, work that never started is placed elsewhere.</summary>
    private static void EmptyNode(PlanBuilder plan, NodeCandidate? node, Func<NodeCandidate, string> why, string what, NodeCheck? extra = null)
    {
        if (node is null)
        {
            return;
        }
        foreach (var workload in plan.Cluster.On(node.Id).Where(w => w.IsActive && !plan.Cluster.IsBusy(w.Id)).OrderByDescending(w => w.Priority))
        {
            if (workload.Pinned)
            {
                plan.Refuse(workload, $"pinned to {node.Name}; unpin it to let the {what} move it");
                continue;
            }
            plan.Relocate(workload, node, why(node), extra);
        }
    }

    private static void OperatorMove(PlanBuilder plan, Evaluation evaluation)
    {
        if (plan.Cluster.Workload(evaluation.WorkloadId) is not { } workload)
        {
            return;
        }
        if (workload.State != WorkloadState.Running)
        {
            plan.Refuse(workload, $"{workload.Name} is {workload.State}; only a Running workload can be migrated");
            return;
        }
        if (plan.Cluster.Node(workload.NodeId) is not { } source)
        {
            plan.Refuse(workload, $"the node {workload.Name} runs on is not in the cluster");
            return;
        }
        if (plan.Cluster.InFlight(workload.Id) is { } inFlight)
        {
            var to = plan.Cluster.Node(inFlight.ToNodeId)?.Name ?? inFlight.ToNodeId.ToString();
            plan.Refuse(workload, $"{workload.Name} is already being migrated to {to} (migration {inFlight.MigrationId}); wait until that migration finishes");
            return;
        }
        if (evaluation.TargetNodeId is not { } targetId)
        {
            plan.Relocate(workload, source, evaluation.Reason);
            return;
        }
        if (plan.Cluster.Node(targetId) is not { } target)
        {
            plan.Refuse(workload, $"node {targetId} is not in the cluster");
        }
        else if (target.Id == source.Id)
        {
            plan.Refuse(workload, $"{workload.Name} already runs on {target.Name}");
        }
        else if (plan.Selector.Reject(target, workload.Request) is { } rejection)
        {
            plan.Refuse(workload, $"{target.Name} cannot take {workload.Name}: {rejection.Reason}", [rejection]);
        }
        else
        {
            plan.Migrate(workload, source, target, plan.Selector.Score(target, new Scoring.ScoringContext(workload, source)), evaluation.Reason);
        }
    }

    private static void Offload(PlanBuilder plan, Evaluation evaluation)
    {
        if (plan.Cluster.Workload(evaluation.WorkloadId) is not { } workload || plan.Cluster.Node(evaluation.NodeId ?? workload.NodeId) is not { } source)
        {
            return;
        }
        if (workload.NodeId != source.Id || !workload.IsActive)
        {
            plan.Refuse(workload, $"{workload.Name} no longer waits on {source.Name}");
            return;
        }
        if (workload.Pinned)
        {
            plan.Refuse(workload, $"pinned to {source.Name}; unpin it to let it be offloaded");
            return;
        }
        var freeSlot = new NodeCheck("FreeSlot", n => n.Workloads < n.Slots, n => $"no free slot: {n.Workloads} of {n.Slots} taken");
        plan.Relocate(workload, source, evaluation.Reason, freeSlot);
    }

    private void EnergyLow(PlanBuilder plan, Evaluation evaluation)
    {
        var floor = new Filters.EnergyFloorFilter(configuration.Options.Energy);
        var low = plan.Cluster.Nodes.Where(n => n.EnergyLevel is not null && (evaluation.NodeId is null || n.Id == evaluation.NodeId))
            .Select(n => (Node: n, Why: floor.Reject(n, new PlacementRequest(0, new WorkloadConstraints(null, new Dictionary<string, string>()), []))))
            .Where(x => x.Why is not null)
            .ToList();
        foreach (var (node, why) in low)
        {
            EmptyNode(plan, node, n => $"{n.Name}: {why}", "energy policy");
        }
    }
}
