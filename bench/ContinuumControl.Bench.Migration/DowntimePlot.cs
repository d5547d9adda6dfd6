using ScottPlot;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// The <c>plot</c> mode: cumulative distributions of downtime and of request -> safe point from <c>kernels --csv</c>
/// files, one line per file (e.g. before and after a fix), as one PNG with two panels side by side.
/// Usage: <c>plot --out file.png label=samples.csv [label=samples.csv ...]</c>.
/// </summary>
internal static class DowntimePlot
{
    public static int Run(string[] args)
    {
        string? output = null;
        var series = new List<(string Label, List<KernelSample> Samples)>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                output = args[++i];
            }
            else if (args[i].Split('=', 2) is [var label, var path])
            {
                series.Add((label, KernelSample.ReadCsv(path)));
            }
            else
            {
                throw new ArgumentException($"plot takes --out file.png and label=samples.csv pairs, not {args[i]}");
            }
        }
        if (output is null || series.Count == 0)
        {
            throw new ArgumentException("plot needs --out file.png and at least one label=samples.csv");
        }
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Cdf(multiplot.GetPlot(0), "Downtime (source paused -> target running)", series.Select(s => (s.Label, s.Samples.Select(x => x.DowntimeMs))), marker: 20);
        Cdf(multiplot.GetPlot(1), "Request -> safe point (source)", series.Select(s => (s.Label, s.Samples.Select(x => x.ToSafePointMs))), marker: null);
        multiplot.SavePng(output, 1400, 520);
        Console.WriteLine($"plot written to {output}");
        return 0;
    }

    private static void Cdf(Plot plot, string title, IEnumerable<(string Label, IEnumerable<double> Values)> series, double? marker)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var (label, values) in series)
        {
            var sorted = values.Where(double.IsFinite).Order().ToArray();
            if (sorted.Length == 0)
            {
                continue;
            }
            var fractions = sorted.Select((_, i) => (i + 1) / (double)sorted.Length).ToArray();
            var line = plot.Add.Scatter(sorted, fractions, palette.GetColor(index++));
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"{label} (n={sorted.Length}, p99 {sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)]:0.0} ms)";
        }
        if (marker is { } m)
        {
            var target = plot.Add.VerticalLine(m);
            target.LinePattern = LinePattern.Dashed;
            target.Color = Colors.Gray;
            target.LegendText = $"target p99 ≤ {m:0} ms";
        }
        plot.Add.HorizontalLine(0.99, 1, Colors.LightGray, LinePattern.Dotted);
        plot.Title(title);
        plot.XLabel("ms");
        plot.YLabel("fraction of migrations");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Axes.SetLimitsX(0, Math.Max(25, series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(25).Max() * 1.05));
        plot.ShowLegend(Alignment.LowerRight);
    }
}
