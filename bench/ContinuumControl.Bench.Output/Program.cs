using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ContinuumControl.Bench.Output;

// Output benchmark. Usage (from the repository root):
//   dotnet run -c Release --project bench/ContinuumControl.Bench.Output -- stdio [--iterations 5] [--markdown FILE]
//   dotnet run -c Release --project bench/ContinuumControl.Bench.Output -- e2e [--mib 256] [--markdown FILE]

var mode = args.FirstOrDefault() ?? "stdio";
var iterations = Option("--iterations", 5);
var markdownPath = args.SkipWhile(a => a != "--markdown").Skip(1).FirstOrDefault();
var root = Guest.RepositoryRoot();
var wasm = Guest.BuildFlood(root);
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Machine()}, .NET {Environment.Version}, Wasmtime .NET {typeof(Wasmtime.Engine).Assembly.GetName().Version}");
report.AppendLine();

if (mode == "stdio")
{
    StdioBench.Case[] cases =
    [
        new("small, mixed 1-100 B to stderr", ["1000000", "0", "stderr"], 50_000_000),
        new("tiny, 7 B to stderr (matrix dump)", ["1100000", "7", "stderr"], 7_700_000),
        new("large, 64 KiB to stdout", ["1024", "65536", "stdout"], 64L << 20),
    ];
    report.AppendLine($"| case | writes | plain Wasmtime, files (s) | WorkloadInstance (s) | ratio of medians | paired ratio |");
    report.AppendLine("|---|---:|---:|---:|---:|---:|");
    var worst = 0.0;
    foreach (var c in cases)
    {
        var r = StdioBench.Run(c, wasm, iterations);
        worst = Math.Max(worst, r.PairedRatio);
        var line = string.Create(CultureInfo.InvariantCulture, $"| {c.Name} | {long.Parse(c.Args[0], CultureInfo.InvariantCulture):N0} | {r.PlainMedian:0.000} | {r.WorkloadMedian:0.000} | {r.WorkloadMedian / r.PlainMedian:0.00}x | {r.PairedRatio:0.00}x |");
        report.AppendLine(line);
        Console.WriteLine(line);
    }
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"{iterations} timed runs per variant after one warm-up, alternating order; wall time per run. Target: paired ratio <= 1.3x (worst here {worst:0.00}x).");
    Finish();
    return worst <= 1.3 ? 0 : 1;
}
if (mode == "memory")
{
    // Resident memory of this process around WorkloadInstance runs writing --mib MiB each: output must not stay in memory.
    Console.WriteLine(StdioBench.Memory(wasm, Option("--mib", 512)));
    return 0;
}
if (mode == "e2e")
{
    var result = await EndToEndBench.RunAsync(root, wasm, Option("--mib", 256));
    report.Append(result.Markdown);
    Console.WriteLine(result.Markdown);
    Finish();
    return result.MegabytesPerSecond >= 20 ? 0 : 1;
}
Console.Error.WriteLine("modes: stdio | e2e");
return 2;

int Option(string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
}

void Finish()
{
    if (markdownPath is not null)
    {
        File.WriteAllText(markdownPath, report.ToString());
        Console.WriteLine($"markdown written to {markdownPath}");
    }
}

static string Machine()
{
    var model = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    return $"{model ?? "unknown CPU"}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}";
}
