using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling;

/// <summary>What still fits of a plan when it is applied, and why the rest does not.</summary>
public sealed record ApplyResult(IReadOnlyList<PlannedPlacement> Placements, IReadOnlyList<PlannedMigration> Migrations, IReadOnlyList<ItemRejection> Rejected);

/// <summary>A plan item the cluster no longer allows.</summary>
public sealed record ItemRejection(Guid WorkloadId, Guid NodeId, string Reason);

/// <summary>
/// Optimistic concurrency for plans (Nomad's plan applier): the scheduler planned on a snapshot; before committing,
/// every item is checked again against the cluster as it is now, with the capacity of the items accepted before it.
/// What still fits is accepted — a plan may be applied in part — and every rejection says what changed.
/// </summary>
public sealed class PlanApplier(Configuration.SchedulerConfiguration configuration)
{
    private readonly NodeSelector _selector = new(configuration);

    public PlanApplier()
        : this(Configuration.SchedulerConfiguration.Default)
    {
    }

    public ApplyResult Check(Plan plan, ClusterSnapshot current)
    {
        var cluster = new WorkingCluster(current);
        var placements = new List<PlannedPlacement>();
        var migrations = new List<PlannedMigration>();
        var rejected = new List<ItemRejection>();
        foreach (var placement in plan.Placements)
        {
            var workload = cluster.Workload(placement.WorkloadId);
            var why = workload is null || workload.State.IsFinished
                ? "the workload finished or was deleted since planning"
                : cluster.IsBusy(workload.Id) ? $"{workload.Name} is migrating already"
                : Fits(cluster, workload, placement.NodeId);
            if (why is not null)
            {
                rejected.Add(new ItemRejection(placement.WorkloadId, placement.NodeId, why));
                continue;
            }
            placements.Add(placement);
            cluster.Assign(workload!, workload!.NodeId, placement.NodeId, isMigration: false);
        }
        foreach (var migration in plan.Migrations)
        {
            var workload = cluster.Workload(migration.WorkloadId);
            var why = workload is null ? "the workload finished or was deleted since planning"
                : workload.NodeId != migration.FromNodeId ? $"{workload.Name} moved since planning"
                : workload.State != WorkloadState.Running ? $"{workload.Name} is {workload.State} now, not Running"
                : cluster.IsBusy(workload.Id) ? $"{workload.Name} is migrating already"
                : Fits(cluster, workload, migration.ToNodeId);
            if (why is not null)
            {
                rejected.Add(new ItemRejection(migration.WorkloadId, migration.ToNodeId, why));
                continue;
            }
            migrations.Add(migration);
            cluster.Assign(workload!, migration.FromNodeId, migration.ToNodeId, isMigration: true);
        }
        return new ApplyResult(placements, migrations, rejected);
    }

    private string? Fits(WorkingCluster cluster, WorkloadView workload, Guid nodeId)
    {
        if (cluster.Node(nodeId) is not { } node)
        {
            return "the target node left the cluster since planning";
        }
        return _selector.Reject(node, workload.Request) is { } rejection ? $"{node.Name} changed since planning: {rejection.Reason}" : null;
    }
}
