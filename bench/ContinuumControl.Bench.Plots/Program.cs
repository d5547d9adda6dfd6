using ContinuumControl.Bench.Plots;
using ScottPlot;

// Usage: ContinuumControl.Bench.Plots [--results bench/results] [--out docs/img]
// Paths are relative to the working directory; `dotnet run --project` starts in the repository root.
var results = "bench/results";
var output = "docs/img";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--results" when i + 1 < args.Length: results = args[++i]; break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--results DIR] [--out DIR]");
            return 2;
    }
}

Directory.CreateDirectory(output);
var plots = new (string Name, Func<string, ScottPlot.Multiplot> Draw)[]
{
    ("heartbeats", HeartbeatsPlot.Draw),
    ("runtime", RuntimePlot.Draw),
    ("checkpoint", CheckpointPlot.Draw),
    ("migration", MigrationPlot.Draw),
    ("kernels", KernelsPlot.Draw),
    ("recovery", RecoveryPlot.Draw),
    ("scheduling", SchedulingPlot.Draw),
    ("dashboard", DashboardPlot.Draw),
    ("output", OutputPlot.Draw),
};
foreach (var (name, draw) in plots)
{
    var figure = draw(results);
    var path = Path.Combine(output, name + ".svg");
    var width = IMultiplotExtensions.Count(figure) * 700;
    Svg.Save(figure, path, width, 440);
    Console.WriteLine($"{path} ({width}x440)");
}
return 0;
