using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>migration.md: downtime per memory size, pre-copy and stop-and-copy, against the pre-copy targets.</summary>
internal static class MigrationPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "migration.md"), "Memory in use");
        var precopy = table.Column("Pre-copy");
        var downtime = table.Column("Downtime ms (median / p90 / max)");
        var figure = Charts.Panels(2);
        foreach (var (panel, mode, title) in new[] { (0, "yes", "with pre-copy"), (1, "no", "stop-and-copy") })
        {
            var rows = table.Rows.Where(r => r[precopy] == mode).ToList();
            var series = new[] { "median", "p90", "max" };
            var values = series.Select((_, i) => rows.Select(r => MarkdownTable.Number(r[downtime], i)).ToArray()).ToArray();
            var plot = figure.GetPlot(panel);
            Charts.GroupedBars(plot, rows.Select(r => r[0]).ToArray(), series, values);
            if (mode == "yes")
            {
                Charts.GroupTarget(plot, 0, 15, "target ≤ 15 ms");
                Charts.GroupTarget(plot, 1, 60, "target ≤ 60 ms");
            }
            Charts.Labels(plot, $"Downtime, {title} (8 migrations each)", "ms (source paused -> target running)");
        }
        return figure;
    }
}
