using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>output.md: guest stdio cost against plain Wasmtime (target 1.3x) and end-to-end MB/s (target 20).</summary>
internal static class OutputPlot
{
    public static Multiplot Draw(string results)
    {
        var path = Path.Combine(results, "output.md");
        var figure = Charts.Panels(2);

        var stdio = MarkdownTable.Read(path, "case");
        var ratio = stdio.Column("paired ratio");
        var left = figure.GetPlot(0);
        Charts.GroupedBars(left, stdio.Rows.Select(r => Short(r[0])).ToArray(), ["WorkloadInstance / plain Wasmtime"],
            [stdio.Rows.Select(r => MarkdownTable.Number(r[ratio])).ToArray()], "0.00");
        Charts.Target(left, 1.3, "target ≤ 1.3x");
        Charts.Labels(left, "Guest stdio vs. plain Wasmtime writing files", "paired ratio (x plain)");

        var e2e = MarkdownTable.Read(path, "case", occurrence: 1);
        var rate = e2e.Column("MB/s");
        var right = figure.GetPlot(1);
        Charts.GroupedBars(right, e2e.Rows.Select(r => Short(r[0])).ToArray(), ["agent -> control plane -> stored"],
            [e2e.Rows.Select(r => MarkdownTable.Number(r[rate])).ToArray()]);
        Charts.Target(right, 20, "target ≥ 20 MB/s");
        Charts.Labels(right, "One workload's output end to end", "MB/s");
        return figure;
    }

    // "small, mixed 1-100 B to stderr" -> "small, mixed 1-100 B"; "large: 512 MiB in 64 KiB writes ..." -> "large: 512 MiB in 64 KiB writes"
    private static string Short(string name) =>
        name.Replace(" to stderr", "", StringComparison.Ordinal).Replace(" to stdout", "", StringComparison.Ordinal);
}
