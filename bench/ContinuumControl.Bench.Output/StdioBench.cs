using System.Diagnostics;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Bench.Output;

/// <summary>
/// The same flood.wasm run by plain Wasmtime with stdout/stderr to files, and through <see cref="WorkloadInstance"/>
/// (instrumented as admission does, output to a sink that takes every byte), round-robin in one process.
/// Wall time of the whole run, including instantiation and the last output reaching the sink.
/// </summary>
internal static class StdioBench
{
    public sealed record Case(string Name, string[] Args, long ExpectedBytes);

    public sealed record Result(Case Case, List<double> Plain, List<double> Workload)
    {
        public double PlainMedian => Median(Plain);
        public double WorkloadMedian => Median(Workload);
        public double PairedRatio => Median(Plain.Zip(Workload, (p, w) => w / p).ToList());
    }

    public static Result Run(Case c, byte[] wasm, int iterations)
    {
        using var plainEngine = new Engine(new Config());
        using var plainModule = Module.FromBytes(plainEngine, "flood", wasm);
        var workloadEngine = RuntimeEngine.Create();
        var scratch = Path.Combine(Path.GetTempPath(), $"continuum-output-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        var options = new WorkloadOptions
        {
            Instrumentation = new InstrumentationOptions { CacheDirectory = Path.Combine(scratch, "instrumented") },
            PrecompiledCache = new PrecompiledModuleCache(Path.Combine(scratch, "precompiled")),
        };
        var plain = new List<double>();
        var workload = new List<double>();
        for (var round = -1; round < iterations; round++)
        {
            var plainFirst = round % 2 == 0;
            for (var k = 0; k < 2; k++)
            {
                var seconds = (k == 0) == plainFirst ? RunPlain(plainEngine, plainModule, c, scratch) : RunWorkload(workloadEngine, options, wasm, c);
                if (round >= 0)
                {
                    ((k == 0) == plainFirst ? plain : workload).Add(seconds);
                }
            }
            Console.Error.Write(round < 0 ? $"{c.Name}: warm-up" : $" {round + 1}");
        }
        Console.Error.WriteLine();
        Directory.Delete(scratch, recursive: true);
        return new Result(c, plain, workload);
    }

    private static double RunPlain(Engine engine, Module module, Case c, string scratch)
    {
        var stdout = Path.Combine(scratch, "plain.stdout");
        var stderr = Path.Combine(scratch, "plain.stderr");
        var started = Stopwatch.GetTimestamp();
        using (var linker = new Linker(engine))
        using (var store = new Store(engine))
        {
            linker.DefineWasi();
            store.SetWasiConfiguration(new WasiConfiguration().WithArgs(["flood", .. c.Args]).WithStandardOutput(stdout).WithStandardError(stderr));
            var instance = linker.Instantiate(store, module);
            instance.GetAction("_start")!();
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var written = new FileInfo(stdout).Length + new FileInfo(stderr).Length;
        if (written < c.ExpectedBytes)
        {
            throw new InvalidOperationException($"plain run wrote {written} bytes, expected at least {c.ExpectedBytes}");
        }
        return elapsed;
    }

    private static double RunWorkload(Engine engine, WorkloadOptions options, byte[] wasm, Case c)
    {
        var sink = new CountingSink();
        var spec = new WorkloadSpec("flood", wasm, c.Args, new Dictionary<string, string>(), MemoryLimitBytes: 64L << 20);
        var started = Stopwatch.GetTimestamp();
        RunOutcome outcome;
        using (var instance = new WorkloadInstance(engine, spec, sink, options))
        {
            // Instrumentation is cached after the warm-up; compilation comes from the precompiled cache.
            outcome = instance.Run();
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!outcome.Succeeded || sink.Bytes < c.ExpectedBytes)
        {
            throw new InvalidOperationException($"workload run: {outcome.FailureReason ?? "ok"}, {sink.Bytes} bytes, expected at least {c.ExpectedBytes}");
        }
        return elapsed;
    }

    public static string Memory(byte[] wasm, int mib)
    {
        var engine = RuntimeEngine.Create();
        var lines = new List<string>();
        foreach (var round in new[] { mib / 4, mib })
        {
            var c = new Case($"{round} MiB", [(round * 16L).ToString(System.Globalization.CultureInfo.InvariantCulture), "65536", "stderr"], round * 1048576L);
            RunWorkload(engine, new WorkloadOptions(), wasm, c);
            lines.Add($"after {round} MiB of output: {Status("VmRSS")} (peak {Status("VmHWM")}), {Status("RssAnon")}, managed heap {GC.GetTotalMemory(false) / 1048576} MiB");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string Status(string key) =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Takes every byte, as the agent's forwarder does (a copy per piece), and checks offsets are contiguous.</summary>
    private sealed class CountingSink : IOutputSink
    {
        private readonly byte[] copy = new byte[OutputCounterPiece];
        private long stdoutEnd, stderrEnd;

        private const int OutputCounterPiece = 256 * 1024;

        public long Bytes => stdoutEnd + stderrEnd;

        public void Write(bool stderr, ReadOnlySpan<byte> data) => throw new InvalidOperationException("the runtime must report offsets");

        public void Write(bool stderr, long offset, ReadOnlySpan<byte> data)
        {
            ref var end = ref stderr ? ref stderrEnd : ref stdoutEnd;
            if (offset != end)
            {
                throw new InvalidOperationException($"gap or overlap: piece at {offset}, stream ends at {end}");
            }
            data.CopyTo(copy.AsSpan(0, Math.Min(data.Length, copy.Length)));
            end += data.Length;
        }
    }
}
