using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>scheduling.md: placements per second of the scheduler and of the all-nodes baseline, against 2,000/s.</summary>
internal static class SchedulingPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "scheduling.md"), "Measure");
        double Row(string prefix) => MarkdownTable.Number(table.Rows.Single(r => r[0].StartsWith(prefix, StringComparison.Ordinal))[1]);
        var figure = Charts.Panels(1);
        var plot = figure.GetPlot(0);
        Charts.GroupedBars(plot,
            ["Scheduler (16 candidates)", "baseline: every node per placement"],
            ["placements/s"],
            [[Row("Placements/s"), Row("Baseline")]], "#,0");
        Charts.Target(plot, 2000, "target ≥ 2,000/s");
        Charts.Labels(plot, "Placements/s at 10,000 nodes, 100,000 workloads", "placements per second");
        return figure;
    }
}
