namespace ContinuumControl.Bench.Heartbeats;

/// <summary>Latency summary in milliseconds (nearest-rank percentiles).</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static readonly Percentiles Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }
        Array.Sort(sorted);
        return new Percentiles(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
