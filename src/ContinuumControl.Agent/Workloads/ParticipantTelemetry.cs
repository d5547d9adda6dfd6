using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// The agent's part in migrations as spans and metrics: one span per step (prepare, pre-copy, checkpoint, prefetch,
/// restore) tagged with the migration, its duration in a histogram, and the bytes each step moved. Exported over OTLP
/// when <c>Telemetry:OtlpEndpoint</c> is set (see <see cref="AgentTelemetry"/>).
/// </summary>
public sealed class ParticipantTelemetry
{
    public const string Name = "ContinuumControl.Agent.Migrations";

    public const string Prepare = "prepare";
    public const string PreCopy = "precopy";
    public const string Checkpoint = "checkpoint";
    public const string Prefetch = "prefetch";
    public const string Restore = "restore";

    private static readonly ActivitySource Source = new(Name);

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _bytes;

    public ParticipantTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _duration = meter.CreateHistogram("continuum.agent.migration.step.duration", "s",
            "How long this agent's part of a migration took, by step (prepare, precopy, checkpoint, prefetch, restore) and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Seconds });
        _bytes = meter.CreateCounter<long>("continuum.agent.migration.bytes", "By", "Bytes this agent uploaded (source) or fetched (target) for migrations, by step");
    }

    /// <summary>A span for <paramref name="step"/> of <paramref name="migrationId"/>; null when nothing listens.</summary>
    public Activity? Start(string step, Guid migrationId)
    {
        var activity = Source.StartActivity($"migration {step}");
        activity?.SetTag("continuum.migration.id", migrationId);
        activity?.SetTag("continuum.migration.step", step);
        return activity;
    }

    public void Ended(Activity? activity, string step, TimeSpan duration, string? failure)
    {
        if (failure is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure);
        }
        _duration.Record(duration.TotalSeconds, new("step", step), new("outcome", failure is null ? "ok" : "failed"));
    }

    public void Moved(string step, long bytes)
    {
        if (bytes > 0)
        {
            _bytes.Add(bytes, new KeyValuePair<string, object?>("step", step));
        }
    }
}

/// <summary>Histogram bucket boundaries for durations in seconds: 1 ms to 5 min.</summary>
internal static class Buckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
}
