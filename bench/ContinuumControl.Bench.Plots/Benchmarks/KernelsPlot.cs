using System.Globalization;
using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>
/// kernels-after-seed*.csv (written by the migration harness's <c>kernels --csv</c>): cumulative distributions of the
/// downtime and of request -> safe point over 100 migrations per seed, against the 20 ms p99 target.
/// </summary>
internal static class KernelsPlot
{
    public static Multiplot Draw(string results)
    {
        var files = Directory.GetFiles(results, "kernels-after-seed*.csv").Order(StringComparer.Ordinal).ToArray();
        var figure = Charts.Panels(2);
        foreach (var (panel, column, title) in new[] { (0, "downtime_ms", "Downtime (source paused -> target running)"), (1, "to_safe_point_ms", "Request -> safe point (source)") })
        {
            var plot = figure.GetPlot(panel);
            var palette = new ScottPlot.Palettes.Category10();
            for (var i = 0; i < files.Length; i++)
            {
                var sorted = Column(files[i], column).Order().ToArray();
                var fractions = sorted.Select((_, k) => (k + 1) / (double)sorted.Length).ToArray();
                var line = plot.Add.Scatter(sorted, fractions, palette.GetColor(i));
                line.MarkerSize = 0;
                line.LineWidth = 2;
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                var p99 = sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)];
                var seed = Path.GetFileNameWithoutExtension(files[i]).Replace("kernels-after-", "", StringComparison.Ordinal);
                line.LegendText = $"{seed} (n={sorted.Length}, p99 {p99:0.0} ms)";
            }
            if (panel == 0)
            {
                var target = plot.Add.VerticalLine(20, 1.5f, Colors.DarkRed, LinePattern.Dashed);
                target.LegendText = "target p99 ≤ 20 ms";
            }
            plot.Add.HorizontalLine(0.99, 1, Colors.LightGray, LinePattern.Dotted);
            plot.Axes.SetLimitsY(0, 1.02);
            plot.ShowLegend(Alignment.LowerRight);
            Charts.Labels(plot, title, "fraction of migrations");
            plot.XLabel("ms");
        }
        return figure;
    }

    private static List<double> Column(string path, string name)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.IndexOf(lines[0].Split(','), name);
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[index], CultureInfo.InvariantCulture))
            .Where(double.IsFinite).ToList();
    }
}
