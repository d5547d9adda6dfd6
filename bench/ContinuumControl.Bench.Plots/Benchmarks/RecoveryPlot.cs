using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>recovery.md: time from SIGKILL of a node to Down and to running elsewhere, against 2 x TTL + restore.</summary>
internal static class RecoveryPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "recovery.md"), "Memory in use");
        var down = table.Column("Kill -> node Down ms (median / p90 / max)");
        var running = table.Column("Kill -> running elsewhere ms (median / p90 / max)");
        var target = table.Column("Target 2 x TTL + restore ms");
        var series = new[] { "kill -> Down, median", "kill -> running elsewhere, median", "kill -> running elsewhere, max" };
        var values = new[]
        {
            table.Rows.Select(r => MarkdownTable.Number(r[down])).ToArray(),
            table.Rows.Select(r => MarkdownTable.Number(r[running])).ToArray(),
            table.Rows.Select(r => MarkdownTable.Number(r[running], 2)).ToArray(),
        };
        var figure = Charts.Panels(1);
        var plot = figure.GetPlot(0);
        Charts.GroupedBars(plot, table.Rows.Select(r => r[0]).ToArray(), series, values, "0");
        for (var g = 0; g < table.Rows.Count; g++)
        {
            Charts.GroupTarget(plot, g, MarkdownTable.Number(table.Rows[g][target]), "2 x TTL + restore");
        }
        // Room above the targets for the legend.
        plot.Axes.SetLimitsY(0, table.Rows.Max(r => MarkdownTable.Number(r[target])) * 1.45);
        Charts.Labels(plot, "Node killed: until the workload runs again", "ms after SIGKILL");
        return figure;
    }
}
