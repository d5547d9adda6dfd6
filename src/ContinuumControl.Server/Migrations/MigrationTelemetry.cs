using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Server.Telemetry;

namespace ContinuumControl.Server.Migrations;

/// <summary>
/// Migrations as metrics and spans. A finished migration becomes a span (requested -> finished) with one child span
/// per phase and one for the pre-copy round, each with its start, end and bytes; its outcome, duration, downtime,
/// phases and the steps of its pause go into the instruments below (names in docs/architecture.md, Telemetry).
/// </summary>
public sealed class MigrationTelemetry
{
    private static readonly ActivitySource Source = new(MeterNames.Migrations);

    private readonly Counter<long> _finished;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _downtime;
    private readonly Histogram<double> _phases;
    private readonly Histogram<double> _steps;
    private readonly Counter<long> _bytes;

    public MigrationTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterNames.Migrations);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets.Seconds };
        _finished = meter.CreateCounter<long>("continuum.migrations", null, "Finished migrations by outcome (Completed, Aborted, Failed, Superseded), trigger and pre-copy");
        _active = meter.CreateUpDownCounter<long>("continuum.migrations.active", null, "Migrations running now");
        _duration = meter.CreateHistogram("continuum.migration.duration", "s", "Requested -> finished, by outcome and pre-copy", advice: seconds);
        _downtime = meter.CreateHistogram("continuum.migration.downtime", "s", "Completed migrations' downtime (source paused -> target running), by pre-copy", advice: seconds);
        _phases = meter.CreateHistogram("continuum.migration.phase.duration", "s", "Time spent in each phase (Preparing, Checkpointing, Transferring, Restoring; precopy is the pre-copy round within Preparing)", advice: seconds);
        _steps = meter.CreateHistogram("continuum.migration.step.duration", "s", "Completed migrations' pause step by step (step = the moment that ends it, e.g. src.captured; src.paused is request -> safe point, outside the downtime)", advice: seconds);
        _bytes = meter.CreateCounter<long>("continuum.migration.bytes", "By", "Checkpoint bytes sources uploaded for migrations, by phase");
    }

    public void Started() => _active.Add(1);

    public void Stopped() => _active.Add(-1);

    /// <summary>Records a finished migration (call once, after its final state is stored).</summary>
    public void Finished(Migration migration, MigrationTimeline timeline)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", migration.Phase.ToString());
        var trigger = new KeyValuePair<string, object?>("trigger", migration.Trigger.ToString());
        var preCopy = new KeyValuePair<string, object?>("precopy", migration.PreCopy);
        _finished.Add(1, outcome, trigger, preCopy);
        var end = migration.FinishedAt ?? migration.RequestedAt;
        _duration.Record((end - migration.RequestedAt).TotalSeconds, outcome, preCopy);
        var phases = Phases(migration).ToList();
        foreach (var (phase, start, stop) in phases)
        {
            _phases.Record((stop - start).TotalSeconds, new("phase", phase.ToString()), preCopy);
            if (timeline.BytesIn(phase) is > 0 and var bytes)
            {
                _bytes.Add(bytes, new KeyValuePair<string, object?>("phase", phase.ToString()));
            }
        }
        if (timeline.PreCopy is { } round)
        {
            _phases.Record((round.End - round.Start).TotalSeconds, new("phase", "precopy"), preCopy);
        }
        if (migration.Phase == MigrationPhase.Completed)
        {
            _downtime.Record((migration.DowntimeMs ?? 0) / 1000, preCopy);
            foreach (var (step, duration) in timeline.Breakdown())
            {
                _steps.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("step", step));
            }
        }
        Trace(migration, timeline, phases, end);
    }

    /// <summary>Each phase the migration went through, from its start to the start of the next (or the end).</summary>
    public static IEnumerable<(MigrationPhase Phase, DateTimeOffset Start, DateTimeOffset End)> Phases(Migration migration)
    {
        var times = migration.PhaseTimes().ToList();
        for (var i = 1; i < times.Count; i++)
        {
            if (times[i - 1].Phase != MigrationPhase.Requested)
            {
                yield return (times[i - 1].Phase, times[i - 1].At, times[i].At);
            }
        }
    }

    private static void Trace(Migration migration, MigrationTimeline timeline, List<(MigrationPhase Phase, DateTimeOffset Start, DateTimeOffset End)> phases, DateTimeOffset end)
    {
        if (!Source.HasListeners())
        {
            return;
        }
        // A trace of its own, not a child of whatever request or report happens to finish it.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            TraceRoot(migration, timeline, phases, end);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private static void TraceRoot(Migration migration, MigrationTimeline timeline, List<(MigrationPhase Phase, DateTimeOffset Start, DateTimeOffset End)> phases, DateTimeOffset end)
    {
        using var root = Source.StartActivity("migration", ActivityKind.Internal, parentContext: default, startTime: migration.RequestedAt);
        if (root is null)
        {
            return;
        }
        root.SetTag("continuum.migration.id", migration.Id);
        root.SetTag("continuum.workload.id", migration.WorkloadId);
        root.SetTag("continuum.migration.source", migration.SourceNodeId);
        root.SetTag("continuum.migration.target", migration.TargetNodeId);
        root.SetTag("continuum.migration.trigger", migration.Trigger.ToString());
        root.SetTag("continuum.migration.precopy", migration.PreCopy);
        root.SetTag("continuum.migration.outcome", migration.Phase.ToString());
        root.SetTag("continuum.migration.bytes", migration.BytesMoved);
        if (migration.DowntimeMs is { } downtime)
        {
            root.SetTag("continuum.migration.downtime_ms", downtime);
        }
        if (migration.Phase != MigrationPhase.Completed)
        {
            root.SetStatus(ActivityStatusCode.Error, migration.Reason);
        }
        foreach (var (phase, start, stop) in phases)
        {
            Child(root, phase.ToString(), start, stop, timeline.BytesIn(phase));
        }
        if (timeline.PreCopy is { } round)
        {
            Child(root, "PreCopy", round.Start, round.End, null);
        }
        root.SetEndTime(end.UtcDateTime);
    }

    private static void Child(Activity root, string name, DateTimeOffset start, DateTimeOffset end, long? bytes)
    {
        using var child = Source.StartActivity($"migration {name}", ActivityKind.Internal, root.Context, startTime: start);
        if (child is null)
        {
            return;
        }
        child.SetTag("continuum.migration.phase", name);
        child.SetTag("continuum.migration.phase.duration_ms", (end - start).TotalMilliseconds);
        if (bytes is { } b)
        {
            child.SetTag("continuum.migration.bytes", b);
        }
        child.SetEndTime(end.UtcDateTime);
    }
}
