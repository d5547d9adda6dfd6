using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>
/// checkpoint.md: pause and restore times (first in a process, and the slowest warm one) per round, at 1 and 64 MiB,
/// each against its target.
/// </summary>
internal static class CheckpointPlot
{
    public static Multiplot Draw(string results)
    {
        var table = MarkdownTable.Read(Path.Combine(results, "checkpoint.md"), "build");
        var figure = Charts.Panels(2);
        foreach (var (panel, mib, pauseTarget, restoreTarget) in new[] { (0, "1 MiB", 2.0, 5.0), (1, "64 MiB", 20.0, 40.0) })
        {
            // Warm cells are ranges ("0.21-0.37"): the upper end is the slowest warm pause or restore of the round.
            var columns = new (string Header, int Figure, string Group)[]
            {
                ($"pause #1, {mib}", 0, "pause, first"),
                ($"pause #2-#6, {mib}", 1, "pause, warm (max)"),
                ($"restore #1, {mib}", 0, "restore, first"),
                (mib == "1 MiB" ? "restore #2-#5, 1 MiB" : "restore #2-#5, 64 MiB (median)", 1, "restore, warm (max)"),
            };
            var values = table.Rows
                .Select(r => columns.Select(c => MarkdownTable.Number(r[table.Column(c.Header)], c.Figure)).ToArray())
                .ToArray();
            var plot = figure.GetPlot(panel);
            Charts.GroupedBars(plot, columns.Select(c => c.Group).ToArray(), table.Rows.Select(r => r[0].Replace("this (", "", StringComparison.Ordinal).TrimEnd(')')).ToArray(), values, "0.0#");
            for (var group = 0; group < columns.Length; group++)
            {
                var target = group < 2 ? pauseTarget : restoreTarget;
                Charts.GroupTarget(plot, group, target, $"target ≤ {target:0} ms");
            }
            Charts.Labels(plot, $"big-heap, {mib}: pause and restore", "ms");
        }
        return figure;
    }
}
