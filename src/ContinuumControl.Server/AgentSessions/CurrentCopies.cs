using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>
/// Which copy of a workload is the current one: the copy on the node the server placed it on, under its generation.
/// Any other copy is stale (a node back from a partition, a target of an aborted migration) and is told to discard
/// itself, so two copies never keep running.
/// </summary>
public sealed class CurrentCopies(IDbContextFactory<ControlPlaneDbContext> dbFactory, ILogger<CurrentCopies> logger)
{
    /// <summary>True when <paramref name="nodeId"/> runs the current copy of the workload under <paramref name="generation"/>.</summary>
    public async Task<bool> IsCurrentAsync(Guid nodeId, Guid workloadId, long generation, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Workloads.AsNoTracking().Where(w => w.Id == workloadId).Select(w => new { w.NodeId, w.Generation }).FirstOrDefaultAsync(cancellationToken);
        if (owner is not null && owner.NodeId == nodeId && owner.Generation == generation)
        {
            return true;
        }
        logger.LogWarning("Stale copy of workload {Workload} (generation {Generation}) on node {Node}: telling it to discard", workloadId, generation, nodeId);
        return false;
    }

    /// <summary>
    /// The copy a migration target restored for a migration that is over without a commit (aborted, or the control
    /// plane restarted): stale, to discard. Null when the migration committed or the reporter was not its target.
    /// </summary>
    public async Task<WorkloadRef?> StrayTargetAsync(Guid nodeId, Guid migrationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var migration = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(m => m.Id == migrationId, cancellationToken);
        return migration is { Phase: not MigrationPhase.Completed } && migration.TargetNodeId == nodeId
            ? new WorkloadRef(migration.WorkloadId, migration.TargetGeneration)
            : null;
    }
}
