using System.Collections.Concurrent;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Migrations;

/// <summary>Carries out committed migrations, at most one per workload, and routes agents' reports to their run.</summary>
public sealed class MigrationCoordinator(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    MigrationSteps steps,
    ClusterEvents events,
    MigrationOptions options,
    TimeProvider time,
    ILogger<MigrationCoordinator> logger)
{
    private readonly ConcurrentDictionary<Guid, MigrationRun> _runs = new();
    private readonly SemaphoreSlim _requestLock = new(1, 1);

    /// <summary>Migrations in flight, by id.</summary>
    public IReadOnlyCollection<Migration> Active => _runs.Values.Select(r => r.Migration).ToList();

    public bool IsMigrating(Guid workloadId) => _runs.Values.Any(r => r.Migration.WorkloadId == workloadId && !r.Migration.IsFinished);

    /// <summary>
    /// Carries out a migration the scheduler planned and the plan applier accepted (see
    /// <c>Orchestration.PlanCommitter</c>): records it and starts its run. The target was chosen or checked by the
    /// scheduler on the full node view; what is checked here is only what must hold at the instant the run starts (the
    /// workload still runs on the planned source, no other run of it is in flight), so a commit that raced a report
    /// or another commit is rejected instead of starting a second copy. A rejection is a <see cref="RefusalException"/>.
    /// </summary>
    public async Task<MigrationDto> StartAsync(PlannedMigration planned, MigrationTrigger trigger, bool? preCopy, CancellationToken cancellationToken)
    {
        await _requestLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == planned.WorkloadId, cancellationToken)
                ?? throw RefusalException.NotFound("Workload", planned.WorkloadId);
            if (workload.State != WorkloadState.Running || workload.NodeId != planned.FromNodeId)
            {
                throw Conflict("Workload changed since planning", $"Workload {workload.Name} is {workload.State}{(workload.NodeId == planned.FromNodeId ? "" : " on another node")} now; only a Running workload can be migrated, from where it runs.");
            }
            if (_runs.Values.FirstOrDefault(r => r.Migration.WorkloadId == workload.Id && !r.Migration.IsFinished) is { } inFlight)
            {
                throw Conflict("Migration already in flight", $"Workload {workload.Name} is already being migrated (migration {inFlight.Migration.Id}, {inFlight.Migration.Phase}); wait for it with GET /api/migrations/{inFlight.Migration.Id}/wait.");
            }
            var module = await db.Modules.AsNoTracking().FirstAsync(m => m.Hash == workload.ModuleHash, cancellationToken);
            var migration = new Migration
            {
                Id = Guid.NewGuid(),
                WorkloadId = workload.Id,
                SourceNodeId = planned.FromNodeId,
                TargetNodeId = planned.ToNodeId,
                SourceGeneration = workload.Generation,
                Phase = MigrationPhase.Requested,
                Trigger = trigger,
                PreCopy = preCopy ?? options.PreCopyByDefault,
                RequestedAt = time.GetUtcNow(),
            };
            db.Migrations.Add(migration);
            await db.SaveChangesAsync(cancellationToken);
            var run = new MigrationRun(migration, workload, module.InstrumentedHash, steps, options);
            _runs[migration.Id] = run;
            var dto = (await db.MigrationDtoAsync(migration.Id, cancellationToken))!;
            events.Publish(new ClusterChange(ClusterChangeKind.MigrationUpserted, Migration: dto));
            _ = Task.Run(async () =>
            {
                try
                {
                    await run.ExecuteAsync();
                }
                finally
                {
                    _runs.TryRemove(migration.Id, out _);
                }
            }, CancellationToken.None);
            logger.LogInformation("Migration {Migration}: {Workload} from {Source} to {Target} ({Trigger})", migration.Id, workload.Name, planned.FromNodeId, planned.ToNodeId, trigger);
            return dto;
        }
        finally
        {
            _requestLock.Release();
        }
    }

    /// <summary>Routes an agent's report to its migration; completes once it was handled. False when no run of that id is in flight.</summary>
    public async Task<bool> DeliverAsync(Guid nodeId, MigrationReport report)
    {
        if (!_runs.TryGetValue(report.MigrationId, out var run))
        {
            return false;
        }
        await run.Deliver(nodeId, report);
        return true;
    }

    public void NodeDisconnected(Guid nodeId)
    {
        foreach (var run in _runs.Values)
        {
            run.NodeLost(nodeId);
        }
    }

    /// <summary>
    /// After a control-plane restart no run survives: every unfinished migration is aborted. The source, which kept its
    /// paused state, is told to resume when it re-registers; a target's copy runs under a generation never committed
    /// and is discarded by reconciliation. So there are never two running copies.
    /// </summary>
    public async Task AbortInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.Migrations.Where(m => m.Phase != MigrationPhase.Completed && m.Phase != MigrationPhase.Aborted && m.Phase != MigrationPhase.Failed && m.Phase != MigrationPhase.Superseded)
            .ToListAsync(cancellationToken);
        foreach (var m in open)
        {
            m.Finish(MigrationPhase.Aborted, $"the control plane restarted during {m.Phase}; the source resumes the workload when its agent reconnects (or, if it lost the workload, it is recovered from its last checkpoint)", time.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static RefusalException Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, title, detail, extensions);
}
