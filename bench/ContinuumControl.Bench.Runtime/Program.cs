using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ContinuumControl.Bench.Runtime;

// Execution overhead of being migratable: each sample workload, plain Wasmtime vs. the same module after
// instrumentation, all variants measured round-robin in the same process so noise hits them alike.
// Usage: dotnet run -c Release --project bench/ContinuumControl.Bench.Runtime -- [options]   (--help)

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var samplesDirectory = options.SamplesDirectory ?? FindSamplesDirectory();
if (samplesDirectory is null)
{
    Console.Error.WriteLine("samples/workloads not found: run from the repository or pass --samples-dir");
    return 2;
}

Console.WriteLine($"# ContinuumControl runtime overhead benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Machine.Describe()}");
Console.WriteLine($"runtime: .NET {Environment.Version}, Wasmtime .NET {typeof(Wasmtime.Engine).Assembly.GetName().Version}, wasm-opt: {WasmOpt.Version(options.WasmOptPath) ?? "not found"}");
Console.WriteLine($"iterations: {options.Iterations} timed runs per variant (+1 warm-up), round-robin in shuffled order; clock: {(options.CpuClock ? "thread CPU time" : "wall")}; samples from {samplesDirectory}");
Console.WriteLine();

var variants = VariantCatalog.Create(options);
var results = new List<SampleResult>();
foreach (var sample in Sample.All.Where(s => options.Samples is null || options.Samples.Contains(s.Name)))
{
    var path = Path.Combine(samplesDirectory, sample.Name + ".wasm");
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"skipping {sample.Name}: {path} not found");
        continue;
    }
    var result = SampleBench.Run(sample, File.ReadAllBytes(path), samplesDirectory, variants, options);
    results.Add(result);
    Report.PrintSample(result);
}

Report.PrintSummary(results, variants);
try
{
    Directory.Delete(Path.Combine(Path.GetTempPath(), $"continuum-bench-{Environment.ProcessId}"), recursive: true);
}
catch (DirectoryNotFoundException)
{
}
if (options.MarkdownPath is not null)
{
    File.WriteAllText(options.MarkdownPath, Report.Markdown(results, variants, options));
    Console.WriteLine($"markdown written to {options.MarkdownPath}");
}
return results.Any(r => r.Variants.Any(v => v.Error is not null || v.OutputMismatch)) ? 1 : 0;

static string? FindSamplesDirectory()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "workloads");
            if (File.Exists(Path.Combine(candidate, "continuum.h")))
            {
                return candidate;
            }
        }
    }
    return null;
}

namespace ContinuumControl.Bench.Runtime
{
    internal static class Machine
    {
        public static string Describe()
        {
            var model = "unknown CPU";
            try
            {
                model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
            }
            catch (IOException)
            {
            }
            return $"{model}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}";
        }
    }

    internal static class WasmOpt
    {
        public static string? Version(string path)
        {
            try
            {
                var start = new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var process = Process.Start(start);
                if (process is null)
                {
                    return null;
                }
                var text = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return process.ExitCode == 0 ? text : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        /// <summary>Runs wasm-opt with <paramref name="passes"/> on <paramref name="input"/>.</summary>
        public static byte[] Run(string path, byte[] input, params string[] passes)
        {
            var inputFile = Path.GetTempFileName();
            var outputFile = inputFile + ".out.wasm";
            try
            {
                File.WriteAllBytes(inputFile, input);
                var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                start.ArgumentList.Add(inputFile);
                foreach (var pass in passes)
                {
                    start.ArgumentList.Add(pass);
                }
                start.ArgumentList.Add("-o");
                start.ArgumentList.Add(outputFile);
                using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
                var stderr = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"wasm-opt {string.Join(' ', passes)} failed: {stderr.Result.Trim()}");
                }
                return File.ReadAllBytes(outputFile);
            }
            finally
            {
                File.Delete(inputFile);
                File.Delete(outputFile);
            }
        }
    }

    internal sealed record BenchOptions(
        int Iterations,
        HashSet<string>? Samples,
        HashSet<string>? Variants,
        bool Quick,
        string? SamplesDirectory,
        string WasmOptPath,
        string? MarkdownPath,
        int Seed,
        bool CpuClock)
    {
        public const string Usage = """
            ContinuumControl.Bench.Runtime - execution overhead of migratable modules vs. plain Wasmtime

              --iterations N        timed runs per variant and sample (default 5; plus one warm-up run)
              --samples a,b         only these samples (default: all; names as in samples/workloads)
              --variants a,b        only these variants (plain is always included): plain-epoch, asyncify,
                                    runtime, workload (default: all)
              --quick               smaller arguments (~0.3 s per run) for a smoke run
              --samples-dir PATH    samples/workloads (default: found from the current directory)
              --wasm-opt PATH       Binaryen wasm-opt (default: wasm-opt on PATH)
              --markdown FILE       also write the tables as Markdown
              --seed N              seed for the run order shuffle (default 1)
              --clock cpu|wall      time the running thread's CPU time (default on Linux: steady on a busy
                                    machine) or wall-clock time
            """;

        public static BenchOptions? Parse(string[] args)
        {
            var o = new BenchOptions(5, null, null, false, null, "wasm-opt", null, 1, ThreadCpuClock.Available);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                static HashSet<string> List(string value) => [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                switch (args[i])
                {
                    case "--iterations": o = o with { Iterations = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)) }; break;
                    case "--samples": o = o with { Samples = List(Next()) }; break;
                    case "--variants": o = o with { Variants = List(Next()) }; break;
                    case "--quick": o = o with { Quick = true }; break;
                    case "--samples-dir": o = o with { SamplesDirectory = Next() }; break;
                    case "--wasm-opt": o = o with { WasmOptPath = Next() }; break;
                    case "--markdown": o = o with { MarkdownPath = Next() }; break;
                    case "--seed": o = o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                    case "--clock":
                        var clock = Next();
                        if (clock is not ("cpu" or "wall") || (clock == "cpu" && !ThreadCpuClock.Available))
                        {
                            throw new ArgumentException("--clock is cpu (Linux only) or wall");
                        }
                        o = o with { CpuClock = clock == "cpu" };
                        break;
                    case "-h" or "--help": return null;
                    default: throw new ArgumentException($"unknown option {args[i]}\n{Usage}");
                }
            }
            return o;
        }
    }

    /// <summary>A sample workload: its file name, its arguments for a full and a quick run, and its expected output file.</summary>
    internal sealed record Sample(string Name, string[] Args, string[] QuickArgs)
    {
        public static readonly Sample[] All =
        [
            new("matmul", [], ["20"]),
            new("stencil", [], ["400"]),
            new("apsp", [], ["2"]),
            new("never-yields", [], ["5"]),
            new("hello", [], ["5"]),
            new("deep-recursion", [], ["4"]),
            new("big-heap", [], ["40"]),
            new("counter", [], []),
        ];

        public string? ExpectedOutputPath(string samplesDirectory, bool quick) =>
            quick && QuickArgs.Length > 0 ? null : Path.Combine(samplesDirectory, "expected", Name + ".stdout");
    }

    internal sealed record VariantResult(string Variant, List<double> Seconds, int ModuleBytes, string? Error, bool OutputMismatch, string? Note);

    internal sealed record SampleResult(Sample Sample, bool Cooperative, List<VariantResult> Variants, List<double[]> Rounds)
    {
        public VariantResult Plain => Variants[0];
    }

    internal static class Stats
    {
        public static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            if (sorted.Length == 0)
            {
                return double.NaN;
            }
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        public static double GeometricMean(IEnumerable<double> values)
        {
            var list = values.Where(v => v > 0 && !double.IsNaN(v)).ToList();
            return list.Count == 0 ? double.NaN : Math.Exp(list.Average(Math.Log));
        }
    }

    internal static class Report
    {
        public static void PrintSample(SampleResult r)
        {
            var plain = Stats.Median(r.Plain.Seconds);
            Console.WriteLine($"## {r.Sample.Name} ({(r.Cooperative ? "cooperative: imports continuum.yield" : "no yield: automatic safe points")})");
            foreach (var v in r.Variants)
            {
                if (v.Error is not null)
                {
                    Console.WriteLine($"  {v.Variant,-15} ERROR {v.Error}");
                    continue;
                }
                var median = Stats.Median(v.Seconds);
                var paired = PairedRatio(r, v);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {v.Variant,-15} median {median,7:F3} s  min {v.Seconds.Min(),7:F3} s  ratio {median / plain,6:F3}  paired {paired,6:F3}  {v.ModuleBytes,7} B{(v.OutputMismatch ? "  OUTPUT MISMATCH" : "")}{(v.Note is null ? "" : "  " + v.Note)}"));
            }
            Console.WriteLine();
        }

        /// <summary>Median over rounds of (variant time / plain time in the same round): robust to drift on a noisy machine.</summary>
        public static double PairedRatio(SampleResult r, VariantResult v)
        {
            var index = r.Variants.IndexOf(v);
            return v.Error is null ? Stats.Median(r.Rounds.Select(round => round[index] / round[0])) : double.NaN;
        }

        public static void PrintSummary(List<SampleResult> results, IReadOnlyList<Variant> variants)
        {
            Console.WriteLine("## Geometric mean of paired ratios vs. plain");
            foreach (var variant in variants.Skip(1))
            {
                foreach (var cooperative in new[] { true, false })
                {
                    var group = results.Where(r => r.Cooperative == cooperative).ToList();
                    if (group.Count == 0)
                    {
                        continue;
                    }
                    var ratios = group.Select(r => r.Variants.FirstOrDefault(v => v.Variant == variant.Name)).Where(v => v is { Error: null })
                        .Select(v => PairedRatio(group.First(r => r.Variants.Contains(v!)), v!)).ToList();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {variant.Name,-15} {(cooperative ? "cooperative" : "automatic  ")}  geomean {Stats.GeometricMean(ratios),6:F3}  over {ratios.Count} samples"));
                }
            }
            Console.WriteLine();
        }

        public static string Markdown(List<SampleResult> results, IReadOnlyList<Variant> variants, BenchOptions options)
        {
            var b = new StringBuilder();
            b.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}; {options.Iterations} timed runs per variant{(options.Quick ? " (--quick)" : "")}; clock: {(options.CpuClock ? "thread CPU time" : "wall")}.");
            b.AppendLine();
            b.AppendLine(options.CpuClock ? "Median seconds of the running thread's CPU time; in parentheses the median of per-round ratios to plain Wasmtime." : "Median wall-clock seconds; in parentheses the median of per-round ratios to plain Wasmtime.");
            b.AppendLine();
            b.Append("| sample | safe points | plain |");
            foreach (var v in variants.Skip(1))
            {
                b.Append(CultureInfo.InvariantCulture, $" {v.Name} |");
            }
            b.AppendLine();
            b.Append("|---|---|---|");
            foreach (var _ in variants.Skip(1))
            {
                b.Append("---|");
            }
            b.AppendLine();
            foreach (var r in results)
            {
                b.Append(CultureInfo.InvariantCulture, $"| {r.Sample.Name} | {(r.Cooperative ? "cooperative" : "automatic")} | {Stats.Median(r.Plain.Seconds):F3} |");
                foreach (var v in r.Variants.Skip(1))
                {
                    b.Append(v.Error is null
                        ? string.Create(CultureInfo.InvariantCulture, $" {Stats.Median(v.Seconds):F3} ({PairedRatio(r, v):F3}) |")
                        : " error |");
                }
                b.AppendLine();
            }
            b.AppendLine();
            b.AppendLine("Variants:");
            foreach (var v in variants)
            {
                b.AppendLine(CultureInfo.InvariantCulture, $"- `{v.Name}`: {v.Description}");
            }
            return b.ToString();
        }
    }
}
