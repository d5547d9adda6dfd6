using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>heartbeats.md: GET /api/nodes latency at each heartbeat rate, against the 50 ms p99 target.</summary>
internal static class HeartbeatsPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "heartbeats.md"), "Target hb/s");
        var acked = table.Column("Acked hb/s");
        var groups = table.Rows.Select(r => $"{r[0]}\n(acked {r[acked]})").ToArray();
        var series = new[] { "p50 ms", "p95 ms", "p99 ms" };
        var values = series.Select(s => table.Rows.Select(r => MarkdownTable.Number(r[table.Column(s)])).ToArray()).ToArray();
        var figure = Charts.Panels(1);
        var plot = figure.GetPlot(0);
        Charts.GroupedBars(plot, groups, series.Select(s => "GET /api/nodes " + s).ToArray(), values);
        Charts.Target(plot, 50, "target p99 ≤ 50 ms at ≥ 10,000 hb/s");
        Charts.Labels(plot, "1,000 agents: GET /api/nodes per heartbeat rate", "ms");
        return figure;
    }
}
