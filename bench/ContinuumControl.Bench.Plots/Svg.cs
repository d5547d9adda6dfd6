using ScottPlot;
using SkiaSharp;

namespace ContinuumControl.Bench.Plots;

/// <summary>
/// Writes a figure as SVG. ScottPlot 5.1 saves a single plot as SVG but a multiplot only as PNG, so the figure is
/// rendered onto SkiaSharp's SVG canvas directly: text stays text and the file diffs readably in git.
/// </summary>
internal static class Svg
{
    public static void Save(Multiplot figure, string path, int width, int height)
    {
        using (var stream = new SKFileWStream(path))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            figure.Render(canvas, new PixelRect(0, width, height, 0));
        }
    }
}
