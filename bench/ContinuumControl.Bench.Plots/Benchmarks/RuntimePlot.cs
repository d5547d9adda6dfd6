using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>runtime.md: paired ratio to plain Wasmtime per sample and variant, against the two overhead targets.</summary>
internal static class RuntimePlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "runtime.md"), "sample");
        var kind = table.Column("safe points");
        var variants = new[] { "runtime", "workload", "runtime-epoch" };
        var figure = Charts.Panels(2);
        foreach (var (panel, safePoints, target) in new[] { (0, "automatic", 1.15), (1, "cooperative", 1.03) })
        {
            var rows = table.Rows.Where(r => r[kind] == safePoints).ToList();
            // The cell is "median seconds (paired ratio)": the ratio is the second number.
            var values = variants.Select(v => rows.Select(r => MarkdownTable.Number(r[table.Column(v)], 1)).ToArray()).ToArray();
            var plot = figure.GetPlot(panel);
            Charts.GroupedBars(plot, rows.Select(r => r[0]).ToArray(), variants, values, "0.00");
            Charts.Target(plot, target, $"target ≤ {target:0.00}x (geometric mean)");
            Charts.Labels(plot, $"{safePoints} safe points: time vs. plain Wasmtime", "paired ratio (x plain)");
            plot.Axes.SetLimitsY(0, 2.8);
        }
        return figure;
    }
}
