namespace ContinuumControl.Server.Telemetry;

/// <summary>Histogram bucket boundaries for durations in seconds (OpenTelemetry's defaults are made for milliseconds).</summary>
public static class DurationBuckets
{
    /// <summary>0.5 ms to 5 min: a downtime step is a few milliseconds, a whole migration of a large memory minutes.</summary>
    public static readonly IReadOnlyList<double> Seconds =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
}
