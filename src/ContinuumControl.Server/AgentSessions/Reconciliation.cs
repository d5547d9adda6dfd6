using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Recovery;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>What a registering agent is told about the workloads it reports, and what the server does about the ones it does not.</summary>
/// <param name="Discard">Copies to discard: unknown, placed elsewhere, under another generation, or finished.</param>
/// <param name="Resume">Paused copies that are current and not in a migration: they resume.</param>
/// <param name="Resend">Pending work placed on the node that it does not run: sent again.</param>
/// <param name="Lost">How many lost runs were handed to the <see cref="RunRecovery"/> to be placed again.</param>
public sealed record ReconcileOutcome(List<Guid> Discard, List<Guid> Resume, List<Workload> Resend, int Lost);

/// <summary>
/// Squares what the agent runs with what the server placed on it: copies the server does not know, placed elsewhere or
/// under another generation are discarded (never two running copies); runs the agent lost (it was killed, crashed or
/// restarted) are recovered as a lost node's are, by the <see cref="RunRecovery"/> (unless their restart policy is
/// Never); Pending work is (re)sent. A workload in a migration is left to the migration, which recovers it if its
/// source lost it.
/// </summary>
public sealed class Reconciliation(MigrationCoordinator migrations, ClusterEvents events, ILogger<Reconciliation> logger)
{
    /// <summary>Decides and applies to the tracked rows of <paramref name="db"/>; the caller saves them.</summary>
    public async Task<ReconcileOutcome> ReconcileAsync(
        ControlPlaneDbContext db, Guid nodeId, string nodeName, IReadOnlyList<RunningWorkload> running, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reportedIds = running.Select(r => r.WorkloadId).ToList();
        var relevant = await db.Workloads
            .Where(w => w.NodeId == nodeId || reportedIds.Contains(w.Id))
            .ToListAsync(cancellationToken);
        var byId = relevant.ToDictionary(w => w.Id);
        var discard = running
            .Where(r => !byId.TryGetValue(r.WorkloadId, out var w) || w.NodeId != nodeId || w.Generation != r.Generation || w.IsFinished)
            .Select(r => r.WorkloadId)
            .ToList();
        var resend = new List<Workload>();
        var lost = 0;
        foreach (var w in relevant.Where(w => w.NodeId == nodeId && !w.IsFinished && !migrations.IsMigrating(w.Id)))
        {
            var isRunning = running.Any(r => r.WorkloadId == w.Id && r.Generation == w.Generation);
            if (isRunning)
            {
                continue;
            }
            if (w.State == WorkloadState.Pending)
            {
                resend.Add(w);
            }
            else
            {
                var recovered = w.LoseRun($"its agent on {nodeName} restarted without it (killed, crashed or rebooted)", now);
                lost += recovered ? 1 : 0;
                logger.LogWarning("Node {Node} lost workload {Workload}: {What}", nodeName, w.Name, RunRecovery.Describe(w));
                events.Publish(new Contracts.Api.ClusterChange(Contracts.Api.ClusterChangeKind.WorkloadUpserted, Workload: w.ToDto(recovered ? null : nodeName)));
            }
        }
        // A current copy left paused by a migration that is now over runs on.
        var resume = running
            .Where(r => r.Paused && !discard.Contains(r.WorkloadId) && !migrations.IsMigrating(r.WorkloadId))
            .Select(r => r.WorkloadId)
            .ToList();
        return new ReconcileOutcome(discard, resume, resend, lost);
    }
}
