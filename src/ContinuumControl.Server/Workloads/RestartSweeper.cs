using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Orchestration;
using ContinuumControl.Server.Recovery;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Workloads;

/// <summary>
/// Places workloads that wait for a new run: recoveries of runs lost with an agent at once, restarts after a failure
/// once their backoff has passed. Each goes through the scheduler (a Submitted evaluation naming the workload), so it
/// lands on the node the scheduler picks, from its last checkpoint when it has one. State is in the database, so
/// waiting restarts survive a control-plane restart.
/// </summary>
public sealed class RestartSweeper(
    RunRecovery recovery,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    EvaluationBroker broker,
    TimeProvider time,
    ILogger<RestartSweeper> logger) : BackgroundService
{
    /// <summary>A workload no node could take is tried again after this long, not at every poke.</summary>
    private static readonly TimeSpan RetryRefused = TimeSpan.FromSeconds(5);

    private readonly Dictionary<Guid, DateTimeOffset> _refusedAt = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Placing workloads that wait for a new run failed; retrying");
            }
            await recovery.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Workload> waiting;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            waiting = await db.Workloads.AsNoTracking().Where(w => w.State == WorkloadState.Pending && w.NodeId == null).ToListAsync(cancellationToken);
        }
        foreach (var workload in waiting.Where(w => w.AwaitsPlacement(now)))
        {
            if (_refusedAt.TryGetValue(workload.Id, out var refused) && now - refused < RetryRefused)
            {
                continue;
            }
            var what = workload.CheckpointManifestJson is null ? "starts again from the beginning" : "resumes from its last checkpoint";
            var why = workload.FailureRestarts > 0 && workload.Attempts.Count > 0 && workload.Attempts[^1].EndReason?.StartsWith("failed", StringComparison.Ordinal) == true
                ? $"{workload.Name} restarts after a failure (restart {workload.FailureRestarts} of {workload.MaxRestarts}); it {what}"
                : $"{workload.Name} lost its run; it {what}";
            var record = await broker.EvaluateAsync(new Evaluation(Guid.NewGuid(), EvaluationTrigger.Submitted, why, WorkloadId: workload.Id), cancellationToken);
            if (record.Outcomes.Any(o => o.WorkloadId == workload.Id && o.Outcome == PlanOutcome.Committed))
            {
                _refusedAt.Remove(workload.Id);
            }
            else
            {
                _refusedAt[workload.Id] = now;
                logger.LogWarning("Workload {Workload} waits for a node: {Reason}", workload.Name, record.Plan is { Refusals.Count: > 0 } plan ? plan.Refusals[0].Reason : record.Error);
            }
        }
    }
}
