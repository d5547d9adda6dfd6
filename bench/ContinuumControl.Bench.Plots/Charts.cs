using System.Globalization;
using ScottPlot;

namespace ContinuumControl.Bench.Plots;

/// <summary>The few chart shapes the benchmark pages use: grouped bars with value labels, and target marks.</summary>
internal static class Charts
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Multiplot Panels(int count)
    {
        var figure = new Multiplot();
        figure.AddPlots(count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return figure;
    }

    /// <summary>
    /// Bars for each group (x axis) and series (colour); <paramref name="values"/>[series][group], NaN for none.
    /// </summary>
    public static void GroupedBars(Plot plot, string[] groups, string[] series, double[][] values, string format = "0.#")
    {
        var width = 0.8 / series.Length;
        var bars = new List<Bar>();
        for (var s = 0; s < series.Length; s++)
        {
            for (var g = 0; g < groups.Length; g++)
            {
                var value = values[s][g];
                if (!double.IsFinite(value))
                {
                    continue;
                }
                bars.Add(new Bar
                {
                    Position = g + (s - (series.Length - 1) / 2.0) * width,
                    Value = value,
                    Size = width * 0.92,
                    FillColor = Palette.GetColor(s),
                    Label = value.ToString(format, CultureInfo.InvariantCulture),
                });
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = Palette.GetColor(s) });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Length).Select(g => (double)g).ToArray(), groups);
        // Headroom above the tallest bar keeps the legend (upper left) off the bars and their labels.
        plot.Axes.SetLimitsY(0, values.SelectMany(v => v).Where(double.IsFinite).Max() * 1.55);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    /// <summary>A dashed target across the whole plot, named in the legend.</summary>
    public static void Target(Plot plot, double value, string label)
    {
        var line = plot.Add.HorizontalLine(value, 1.5f, Colors.DarkRed, LinePattern.Dashed);
        line.LegendText = label;
    }

    /// <summary>A dashed target over one group only (groups whose targets differ share a plot).</summary>
    public static void GroupTarget(Plot plot, int group, double value, string label)
    {
        var line = plot.Add.Line(group - 0.45, value, group + 0.45, value);
        line.LineColor = Colors.DarkRed;
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        var text = plot.Add.Text(label, group + 0.45, value);
        text.LabelFontSize = 11;
        text.LabelFontColor = Colors.DarkRed;
        text.LabelAlignment = Alignment.LowerRight;
    }

    public static void Labels(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.YLabel(yLabel);
    }
}
