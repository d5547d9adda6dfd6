namespace ContinuumControl.Bench.Migration;

/// <summary>Median, p90, p99 and max of a sample (nearest rank).</summary>
public sealed record Stats(int Count, double Median, double P90, double Max, double Min, double P99)
{
    public static Stats Of(IEnumerable<double> samples)
    {
        var sorted = samples.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        Array.Sort(sorted);
        return new Stats(sorted.Length, Rank(sorted, 0.5), Rank(sorted, 0.9), sorted[^1], sorted[0], Rank(sorted, 0.99));
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public string Ms => Count == 0 ? "—" : $"{Median:0.#} / {P90:0.#} / {Max:0.#}";

    /// <summary>Median / p90 / p99 / max.</summary>
    public string Ms4 => Count == 0 ? "—" : $"{Median:0.0} / {P90:0.0} / {P99:0.0} / {Max:0.0}";
}
