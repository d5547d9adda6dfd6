using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// Applies a plan to the cluster as it is now (optimistic concurrency): the <see cref="PlanApplier"/> re-checks each
/// item against a fresh snapshot, the workload's generation (a concurrency token) catches anyone who moved it since,
/// and whatever still fits is committed — possibly only part of the plan. Placements re-bind the workload under a new
/// generation and start it (from its last checkpoint when it has one); migrations go to the migration coordinator.
/// </summary>
public sealed class PlanCommitter(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    SnapshotReader snapshots,
    MigrationCoordinator migrations,
    AgentCommands agents,
    ClusterEvents events,
    Scheduling.Configuration.SchedulerConfiguration configuration,
    OrchestrationTelemetry telemetry,
    TimeProvider time,
    ILogger<PlanCommitter> logger)
{
    private readonly PlanApplier _applier = new(configuration);

    public Task<IReadOnlyList<PlanItemOutcome>> CommitAsync(Plan plan, EvaluationTrigger trigger, CancellationToken cancellationToken) =>
        CommitAsync(plan, new MigrationStart(TriggerOf(trigger), PreCopy: null), cancellationToken);

    /// <summary>Commits with <paramref name="start"/> saying how the plan's migrations run (an operator's request may choose pre-copy).</summary>
    public async Task<IReadOnlyList<PlanItemOutcome>> CommitAsync(Plan plan, MigrationStart start, CancellationToken cancellationToken)
    {
        var current = await snapshots.ReadAsync(cancellationToken);
        var check = _applier.Check(plan, current);
        var outcomes = check.Rejected.Select(r => PlanItemOutcome.Rejected(r.WorkloadId, r.Reason)).ToList();
        var onNode = current.Workloads.ToDictionary(w => w.Id, w => w.NodeId);
        foreach (var placement in check.Placements)
        {
            outcomes.Add(await PlaceAsync(placement, onNode.GetValueOrDefault(placement.WorkloadId), cancellationToken));
        }
        foreach (var migration in check.Migrations)
        {
            outcomes.Add(await MigrateAsync(migration, start, cancellationToken));
        }
        return outcomes;
    }

    private async Task<PlanItemOutcome> PlaceAsync(PlannedPlacement placement, Guid? wasOn, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == placement.WorkloadId, cancellationToken);
        if (workload is null || workload.IsFinished || workload.NodeId != wasOn)
        {
            return PlanItemOutcome.Rejected(placement.WorkloadId, "the workload finished, was deleted or moved since planning");
        }
        var previous = (Node: workload.NodeId, workload.Generation);
        var ranBefore = workload.Attempts.Count > 0;
        if (!placement.FromCheckpoint)
        {
            // Starting over: an old checkpoint belongs to progress this run will redo.
            workload.CheckpointManifestJson = null;
            workload.CheckpointedAt = null;
        }
        workload.Place(placement.NodeId, time.GetUtcNow(), placement.FromCheckpoint, placement.Reason);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PlanItemOutcome.Rejected(placement.WorkloadId, "another placement of the workload was committed first");
        }
        // The new generation is committed, so the lost run can add nothing more: its output past the point this run
        // starts from (the checkpoint's offsets, or the beginning) goes, and this run writes it again.
        await Recovery.OutputRewind.ToStartOfRunAsync(db, workload, cancellationToken);
        var module = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == workload.ModuleHash, cancellationToken);
        if (previous.Node is { } old)
        {
            // A copy queued (or stale) on the old node must never run: discard its generation there (a Down node is reconciled when it returns).
            await agents.TryToNode(old, c => c.DiscardWorkload(new WorkloadRef(workload.Id, previous.Generation)));
        }
        await agents.StartAsync(workload, module?.InstrumentedHash ?? workload.ModuleHash);
        if (ranBefore)
        {
            telemetry.Recovered(workload.CheckpointManifestJson is not null);
        }
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: await db.WorkloadDtoAsync(workload, cancellationToken)));
        await events.PublishNodesAsync(db, previous.Node is { } n ? [n, placement.NodeId] : [placement.NodeId], cancellationToken);
        logger.LogInformation("Placed {Workload} on {Node} under generation {Generation}{From}", workload.Name, placement.NodeId, workload.Generation,
            workload.CheckpointManifestJson is null ? "" : $" from its checkpoint of {workload.CheckpointedAt:O}");
        return PlanItemOutcome.Committed(placement.WorkloadId, workload.CheckpointManifestJson is null ? "started from the beginning" : $"resumed from the checkpoint of {workload.CheckpointedAt:HH:mm:ss}");
    }

    private async Task<PlanItemOutcome> MigrateAsync(PlannedMigration planned, MigrationStart start, CancellationToken cancellationToken)
    {
        try
        {
            var migration = await migrations.StartAsync(planned, start.Trigger, start.PreCopy, cancellationToken);
            return PlanItemOutcome.Committed(planned.WorkloadId, $"migration {migration.Id}", migration.Id);
        }
        catch (RefusalException ex)
        {
            return PlanItemOutcome.Rejected(planned.WorkloadId, ex.Message);
        }
    }

    public static MigrationTrigger TriggerOf(EvaluationTrigger trigger) => trigger switch
    {
        EvaluationTrigger.Drain => MigrationTrigger.Drain,
        EvaluationTrigger.Rebalance => MigrationTrigger.Rebalance,
        EvaluationTrigger.Offload => MigrationTrigger.Offload,
        EvaluationTrigger.EnergyLow => MigrationTrigger.EnergyLow,
        EvaluationTrigger.OperatorMove => MigrationTrigger.Operator,
        _ => MigrationTrigger.Policy,
    };
}

/// <summary>How a committed migration runs: what asked for it (shown in its history) and whether it pre-copies (null: the default).</summary>
public sealed record MigrationStart(MigrationTrigger Trigger, bool? PreCopy);
