using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>dashboard.md: resource pool page until interactive, empty and at 50 nodes / 1,000 workloads, against 1 s.</summary>
internal static class DashboardPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "dashboard.md"), "Build");
        var empty = table.Column("empty pool, median ms");
        var full = table.Column("50 nodes / 1,000 workloads: median / p90 / max ms");
        var series = new[] { "empty pool, median", "50 nodes / 1,000 workloads, median", "same, p90", "same, max" };
        var values = new[]
        {
            table.Rows.Select(r => MarkdownTable.Number(r[empty])).ToArray(),
            table.Rows.Select(r => MarkdownTable.Number(r[full], 0)).ToArray(),
            table.Rows.Select(r => MarkdownTable.Number(r[full], 1)).ToArray(),
            table.Rows.Select(r => MarkdownTable.Number(r[full], 2)).ToArray(),
        };
        var figure = Charts.Panels(1);
        var plot = figure.GetPlot(0);
        Charts.GroupedBars(plot, table.Rows.Select(r => r[0].Replace("after, ", "", StringComparison.Ordinal)).ToArray(), series, values, "0");
        Charts.Target(plot, 1000, "target < 1 s");
        Charts.Labels(plot, "Pool page: navigation -> interactive", "ms");
        return figure;
    }
}
