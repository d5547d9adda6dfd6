using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Migrations;

/// <summary>A finished migration as spans (one per phase, with times and bytes) and histograms (downtime, steps of the pause).</summary>
public sealed class MigrationTelemetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static DateTimeOffset At(double ms) => T0 + TimeSpan.FromMilliseconds(ms);

    private static Migration Completed() => new()
    {
        Id = Guid.NewGuid(),
        WorkloadId = Guid.NewGuid(),
        SourceNodeId = Guid.NewGuid(),
        TargetNodeId = Guid.NewGuid(),
        Trigger = MigrationTrigger.Operator,
        PreCopy = true,
        Phase = MigrationPhase.Completed,
        RequestedAt = At(0),
        PreparingAt = At(1),
        CheckpointingAt = At(100),
        TransferringAt = At(110),
        RestoringAt = At(115),
        FinishedAt = At(130),
        DowntimeMs = 12.5,
        BytesMoved = 5000,
    };

    [Fact]
    public void Breakdown_StepsInOrder_EachFromTheMomentBefore_MissingOnesSkipped_NegativeAsZero()
    {
        var timeline = new MigrationTimeline();
        timeline.Moments(new Dictionary<string, DateTimeOffset>
        {
            [MigrationStepNames.SourceRequested] = At(0),
            [MigrationStepNames.SourcePaused] = At(2),
            [MigrationStepNames.SourceCaptured] = At(5),
            // SourceHashed missing: SourceWritten lasts from SourceCaptured.
            [MigrationStepNames.SourceWritten] = At(9),
        });
        timeline.Moment(MigrationStepNames.ServerCheckpointed, At(8));
        timeline.Moments(new Dictionary<string, DateTimeOffset> { [MigrationStepNames.TargetResumed] = At(20) });

        var steps = timeline.Breakdown();

        Assert.Equal(
            [(MigrationStepNames.SourcePaused, 2.0), (MigrationStepNames.SourceCaptured, 3.0), (MigrationStepNames.SourceWritten, 4.0),
             (MigrationStepNames.ServerCheckpointed, 0.0), (MigrationStepNames.TargetResumed, 12.0)],
            steps.Select(s => (s.Step, s.Duration.TotalMilliseconds)));
    }

    [Fact]
    public void Phases_FromEachPhaseToTheNext_AndTheLastToTheEnd()
    {
        var phases = MigrationTelemetry.Phases(Completed()).Select(p => (p.Phase, (p.End - p.Start).TotalMilliseconds)).ToList();

        Assert.Equal([(MigrationPhase.Preparing, 99.0), (MigrationPhase.Checkpointing, 10.0), (MigrationPhase.Transferring, 5.0), (MigrationPhase.Restoring, 15.0)], phases);
    }

    [Fact]
    public void Finished_RecordsASpanPerPhaseWithTimesAndBytes_UnderOneMigrationSpan()
    {
        var migration = Completed();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MeterNames.Migrations,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var timeline = new MigrationTimeline();
        timeline.PreCopied(At(10), At(60));
        timeline.Moved(MigrationPhase.Preparing, 4000);
        timeline.Moved(MigrationPhase.Transferring, 1000);

        new MigrationTelemetry(Meters()).Finished(migration, timeline);

        List<Activity> mine;
        lock (spans)
        {
            var root = spans.Single(a => a.OperationName == "migration" && Equals(a.GetTagItem("continuum.migration.id"), migration.Id));
            mine = [.. spans.Where(a => a.ParentSpanId == root.SpanId)];
            Assert.Equal(At(0).UtcDateTime, root.StartTimeUtc);
            Assert.Equal(TimeSpan.FromMilliseconds(130), root.Duration);
            Assert.Equal("Completed", root.GetTagItem("continuum.migration.outcome"));
        }
        var byName = mine.ToDictionary(a => a.OperationName);
        Assert.Equal(["migration Checkpointing", "migration PreCopy", "migration Preparing", "migration Restoring", "migration Transferring"], byName.Keys.Order());
        Assert.Equal(At(110).UtcDateTime, byName["migration Transferring"].StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(5), byName["migration Transferring"].Duration);
        Assert.Equal(1000L, byName["migration Transferring"].GetTagItem("continuum.migration.bytes"));
        Assert.Equal(4000L, byName["migration Preparing"].GetTagItem("continuum.migration.bytes"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), byName["migration PreCopy"].Duration);
    }

    [Fact]
    public void Finished_Completed_RecordsDowntimeAndSteps_Aborted_RecordsNeither()
    {
        var meters = Meters();
        var recorded = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener
        {
            // Only this factory's meter: other tests' control planes run in the same process.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            recorded.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
        var telemetry = new MigrationTelemetry(meters);
        var timeline = new MigrationTimeline();
        timeline.Moments(new Dictionary<string, DateTimeOffset> { [MigrationStepNames.SourcePaused] = At(0), [MigrationStepNames.SourceCaptured] = At(4) });

        telemetry.Finished(Completed(), timeline);
        var aborted = Completed();
        aborted.Phase = MigrationPhase.Aborted;
        telemetry.Finished(aborted, timeline);

        Assert.Equal([0.0125], recorded.Where(r => r.Instrument == "continuum.migration.downtime").Select(r => r.Value));
        Assert.Equal([(0.004, "step=src.captured")], recorded.Where(r => r.Instrument == "continuum.migration.step.duration").Select(r => (r.Value, r.Tags)));
        Assert.Equal(2, recorded.Count(r => r.Instrument == "continuum.migration.duration"));
    }

    private static IMeterFactory Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
