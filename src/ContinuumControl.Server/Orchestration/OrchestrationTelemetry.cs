using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContinuumControl.Domain.Orchestration;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Telemetry;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// Evaluations, placements and recoveries as metrics, and each evaluation as a span (trigger, reason, what it
/// committed). Names in docs/architecture.md, Telemetry.
/// </summary>
public sealed class OrchestrationTelemetry
{
    private static readonly ActivitySource Source = new(MeterNames.Orchestration);

    private readonly Counter<long> _evaluations;
    private readonly Histogram<double> _planning;
    private readonly Counter<long> _placements;
    private readonly Counter<long> _recoveries;

    public OrchestrationTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterNames.Orchestration);
        _evaluations = meter.CreateCounter<long>("continuum.evaluations", null,
            "Evaluations run, by trigger (Submitted, NodeDown, Drain, Rebalance, OperatorMove, Offload, EnergyLow) and outcome (committed, nothing, refused, failed)");
        _planning = meter.CreateHistogram("continuum.evaluation.planning.duration", "s", "Time the scheduler took to plan an evaluation, by trigger",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds });
        _placements = meter.CreateCounter<long>("continuum.placements", null, "Workloads bound to a node under a new generation, by trigger and start (beginning, checkpoint)");
        _recoveries = meter.CreateCounter<long>("continuum.recoveries", null,
            "Placements of a workload that had run before (its run was lost or failed), by start (beginning, checkpoint)");
    }

    /// <summary>A span for one evaluation; null when nothing listens.</summary>
    public static Activity? Start(Evaluation evaluation)
    {
        var activity = Source.StartActivity($"evaluation {evaluation.Trigger}");
        activity?.SetTag("continuum.evaluation.id", evaluation.Id);
        activity?.SetTag("continuum.evaluation.trigger", evaluation.Trigger.ToString());
        activity?.SetTag("continuum.evaluation.reason", evaluation.Reason);
        return activity;
    }

    public void Planned(Evaluation evaluation, TimeSpan took) =>
        _planning.Record(took.TotalSeconds, new KeyValuePair<string, object?>("trigger", evaluation.Trigger.ToString()));

    /// <summary>Records an evaluation's end: its outcome, and the placements it committed.</summary>
    public void Evaluated(Activity? activity, Evaluation evaluation, Plan? plan, IReadOnlyList<PlanItemOutcome> outcomes, string? failure)
    {
        var trigger = new KeyValuePair<string, object?>("trigger", evaluation.Trigger.ToString());
        var committed = outcomes.Where(o => o.Outcome == PlanOutcome.Committed).ToList();
        var outcome = failure is not null ? "failed"
            : committed.Count > 0 ? "committed"
            : plan is { Refusals.Count: > 0 } || outcomes.Count > 0 ? "refused"
            : "nothing";
        _evaluations.Add(1, trigger, new("outcome", outcome));
        foreach (var placed in committed.Where(o => o.MigrationId is null))
        {
            var fromCheckpoint = plan?.Placements.FirstOrDefault(p => p.WorkloadId == placed.WorkloadId)?.FromCheckpoint ?? false;
            _placements.Add(1, trigger, new("start", fromCheckpoint ? "checkpoint" : "beginning"));
        }
        if (activity is null)
        {
            return;
        }
        activity.SetTag("continuum.evaluation.outcome", outcome);
        activity.SetTag("continuum.evaluation.committed", committed.Count);
        activity.SetTag("continuum.evaluation.refused", plan?.Refusals.Count ?? 0);
        if (failure is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure);
        }
    }

    /// <summary>A workload that had run before was placed again (from its checkpoint or from the beginning).</summary>
    public void Recovered(bool fromCheckpoint) =>
        _recoveries.Add(1, new KeyValuePair<string, object?>("start", fromCheckpoint ? "checkpoint" : "beginning"));
}
