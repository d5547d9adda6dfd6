using System.Collections.Concurrent;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Live;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// Runs evaluations one at a time (Nomad's evaluate -> plan -> apply): reads a snapshot, lets the scheduler plan,
/// and hands the plan to a committer that re-checks it against the cluster as it is by then. One planner at a time
/// keeps two plans from promising the same capacity; the committer's re-check covers what changed meanwhile.
/// Recent evaluations stay in memory for the API and the dashboard ("why not this node").
/// </summary>
public sealed class EvaluationBroker(
    Scheduler scheduler,
    SnapshotReader snapshots,
    PlanCommitter committer,
    ClusterEvents events,
    OrchestrationTelemetry telemetry,
    TimeProvider time,
    ILogger<EvaluationBroker> logger)
{
    private const int Kept = 200;
    private readonly SemaphoreSlim _planning = new(1, 1);
    private readonly ConcurrentQueue<EvaluationRecord> _recent = new();

    /// <summary>Recent evaluations, newest first.</summary>
    public IReadOnlyList<EvaluationRecord> Recent => _recent.Reverse().ToList();

    public EvaluationRecord? Find(Guid id) => _recent.FirstOrDefault(r => r.Evaluation.Id == id);

    /// <summary>Plans and commits with the standard committer (placements and migrations).</summary>
    public Task<EvaluationRecord> EvaluateAsync(Evaluation evaluation, CancellationToken cancellationToken) =>
        EvaluateAsync(evaluation, [], committer.CommitAsync, cancellationToken);

    /// <summary>
    /// Plans with <paramref name="extra"/> workloads added to the snapshot (a workload being created) and commits with
    /// <paramref name="commit"/>, all under the planning lock.
    /// </summary>
    public async Task<EvaluationRecord> EvaluateAsync(
        Evaluation evaluation,
        IReadOnlyList<WorkloadView> extra,
        Func<Plan, EvaluationTrigger, CancellationToken, Task<IReadOnlyList<PlanItemOutcome>>> commit,
        CancellationToken cancellationToken)
    {
        var record = new EvaluationRecord(evaluation, time.GetUtcNow());
        // A policy's periodic look that finds nothing to do is not kept: it would push the decisions operators look
        // for out of the history within minutes. Requests (Submitted, OperatorMove) are always kept.
        var keepWhenEmpty = evaluation.Trigger is EvaluationTrigger.Submitted or EvaluationTrigger.OperatorMove;
        var kept = false;
        using var activity = OrchestrationTelemetry.Start(evaluation);
        if (keepWhenEmpty)
        {
            Remember(record);
            kept = true;
        }
        await _planning.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await snapshots.ReadAsync(cancellationToken);
            if (extra.Count > 0)
            {
                snapshot = snapshot with { Workloads = [.. snapshot.Workloads, .. extra] };
            }
            var started = time.GetTimestamp();
            var plan = scheduler.Process(evaluation, snapshot);
            var took = time.GetElapsedTime(started);
            record.Planned(plan, took, snapshot);
            telemetry.Planned(evaluation, took);
            if (!kept && (!plan.IsEmpty || plan.Refusals.Count > 0))
            {
                Remember(record);
                kept = true;
            }
            if (kept)
            {
                Publish(record);
            }
            var outcomes = plan.Placements.Count + plan.Migrations.Count == 0 ? [] : await commit(plan, evaluation.Trigger, cancellationToken);
            record.Applied(outcomes, time.GetUtcNow());
            telemetry.Evaluated(activity, evaluation, plan, outcomes, failure: null);
            if (outcomes.Count > 0 || plan.Refusals.Count > 0)
            {
                logger.LogInformation("Evaluation {Trigger} ({Reason}): {Committed} committed, {Rejected} rejected, {Refused} refused",
                    evaluation.Trigger, evaluation.Reason, outcomes.Count(o => o.Outcome == PlanOutcome.Committed), outcomes.Count(o => o.Outcome != PlanOutcome.Committed), plan.Refusals.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Evaluation {Trigger} failed", evaluation.Trigger);
            record.Failed(ex.Message, time.GetUtcNow());
            telemetry.Evaluated(activity, evaluation, record.Plan, [], ex.Message);
            if (!kept)
            {
                Remember(record);
                kept = true;
            }
            throw;
        }
        finally
        {
            _planning.Release();
            if (kept)
            {
                Publish(record);
            }
        }
        return record;
    }

    /// <summary>
    /// A dry run: what the scheduler would plan for <paramref name="evaluation"/> on the cluster as it is now, with
    /// nothing committed or kept. Takes no planning lock, so it may be stale by the time a real evaluation runs; the
    /// real one decides.
    /// </summary>
    public async Task<Plan> PreviewAsync(Evaluation evaluation, CancellationToken cancellationToken) =>
        scheduler.Process(evaluation, await snapshots.ReadAsync(cancellationToken));

    private void Remember(EvaluationRecord record)
    {
        _recent.Enqueue(record);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }
    }

    private void Publish(EvaluationRecord record) => events.Publish(new ClusterChange(ClusterChangeKind.EvaluationUpserted, Evaluation: record.ToDto()));
}
