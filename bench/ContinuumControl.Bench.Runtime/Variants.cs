using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Bench.Runtime;

/// <summary>
/// One way of running a sample: an engine configuration and a module transformation; or, with
/// <paramref name="Workload"/> set, the runtime's own <see cref="WorkloadInstance"/> given the uploaded module.
/// </summary>
internal sealed record Variant(string Name, string Description, Engine Engine, Func<byte[], byte[]> Transform, WorkloadOptions? Workload = null);

internal static class VariantCatalog
{
    /// <summary>Default Wasmtime configuration, no epoch interruption, no fuel: the baseline everything is compared with.</summary>
    private static Engine PlainEngine() => new(new Config());

    public static IReadOnlyList<Variant> Create(BenchOptions options)
    {
        var instrumenter = new ModuleInstrumenter(new InstrumentationOptions { WasmOptPath = options.WasmOptPath });
        var scratch = Path.Combine(Path.GetTempPath(), $"continuum-bench-{Environment.ProcessId}");
        var workloadOptions = new WorkloadOptions
        {
            Instrumentation = new InstrumentationOptions { WasmOptPath = options.WasmOptPath, CacheDirectory = Path.Combine(scratch, "instrumented") },
            PrecompiledCache = new PrecompiledModuleCache(Path.Combine(scratch, "precompiled")),
        };
        var all = new List<Variant>
        {
            new("plain", "the uploaded module, Wasmtime default configuration (no epoch interruption, no fuel)", PlainEngine(), b => b),
            new("plain-epoch", "the uploaded module, epoch interruption enabled (deadline never reached): the cost the issue says to avoid", new Engine(new Config().WithEpochInterruption(true)), b => b),
            new("asyncify", "`wasm-opt --asyncify --pass-arg=asyncify-imports@continuum.yield -O2` only, default engine: Asyncify's cost without automatic safe points", PlainEngine(),
                b => WasmOpt.Run(options.WasmOptPath, b, "--asyncify", "--pass-arg=asyncify-imports@continuum.yield", "-O2")),
            new("runtime", "the runtime's admission output (`ModuleInstrumenter.Instrument`: globals exported, automatic safe points unless the module yields, Asyncify, flag memory), default engine", PlainEngine(),
                b => instrumenter.Instrument(b).Bytes),
            new("runtime-epoch", "the runtime's admission output on an engine with epoch interruption on (deadline never reached): what an engine-level backstop would add", new Engine(new Config().WithEpochInterruption(true).WithOptimizationLevel(OptimizationLevel.Speed).WithBranchHinting(true)),
                b => instrumenter.Instrument(b).Bytes),
            new("workload", "the whole runtime path: `WorkloadInstance.Run()` on `RuntimeEngine.Create()` (its yield host function, output sink, CPU-time accounting; includes instantiation, a few ms)", RuntimeEngine.Create(),
                b => instrumenter.Instrument(b).Bytes, workloadOptions),
        };
        return [.. all.Where(v => v.Name == "plain" || options.Variants is null || options.Variants.Contains(v.Name))];
    }
}

internal static class SampleBench
{
    public static SampleResult Run(Sample sample, byte[] original, string samplesDirectory, IReadOnlyList<Variant> variants, BenchOptions options)
    {
        var args = options.Quick && sample.QuickArgs.Length > 0 ? sample.QuickArgs : sample.Args;
        var expectedPath = sample.ExpectedOutputPath(samplesDirectory, options.Quick);
        byte[]? expected = expectedPath is not null && File.Exists(expectedPath) ? File.ReadAllBytes(expectedPath) : null;
        var cooperative = ImportsYield(original);

        var prepared = new List<(Variant Variant, Module? Module, int Bytes, string? Error)>();
        foreach (var variant in variants)
        {
            try
            {
                var bytes = variant.Transform(original);
                prepared.Add((variant, Module.FromBytes(variant.Engine, sample.Name, bytes), bytes.Length, null));
            }
            catch (Exception ex) when (ex is InvalidOperationException or WasmtimeException or IOException || ex.GetType().Namespace?.StartsWith("ContinuumControl", StringComparison.Ordinal) == true)
            {
                prepared.Add((variant, null, 0, ex.Message.Split('\n')[0]));
            }
        }

        var seconds = prepared.Select(_ => new List<double>()).ToList();
        var errors = prepared.Select(p => p.Error).ToArray();
        var mismatch = new bool[prepared.Count];
        var rounds = new List<double[]>();

        // Warm-up (also fixes the expected output when no file is given), then rounds in shuffled order.
        for (var round = -1; round < options.Iterations; round++)
        {
            var order = Enumerable.Range(0, prepared.Count).ToArray();
            new Random(options.Seed * 7919 + round).Shuffle(order);
            var times = new double[prepared.Count];
            foreach (var i in order)
            {
                if (prepared[i].Module is not { } module || errors[i] is not null)
                {
                    times[i] = double.NaN;
                    continue;
                }
                try
                {
                    var variant = prepared[i].Variant;
                    var (elapsed, stdout) = variant.Workload is { } workloadOptions
                        ? RunWorkload(variant.Engine, workloadOptions, original, sample.Name, args, options.CpuClock)
                        : RunOnce(variant.Engine, module, sample.Name, args, options.CpuClock);
                    times[i] = elapsed;
                    expected ??= i == 0 ? stdout : null;
                    if (expected is not null && !stdout.AsSpan().SequenceEqual(expected))
                    {
                        mismatch[i] = true;
                    }
                }
                catch (Exception ex) when (ex is WasmtimeException or InvalidOperationException)
                {
                    errors[i] = ex.Message.Split('\n')[0];
                    times[i] = double.NaN;
                }
            }
            if (round >= 0)
            {
                rounds.Add(times);
                for (var i = 0; i < times.Length; i++)
                {
                    if (!double.IsNaN(times[i]))
                    {
                        seconds[i].Add(times[i]);
                    }
                }
            }
            Console.Error.Write(round < 0 ? $"{sample.Name}: warm-up" : $" {round + 1}");
        }
        Console.Error.WriteLine();
        foreach (var p in prepared)
        {
            p.Module?.Dispose();
        }

        var results = prepared.Select((p, i) => new VariantResult(p.Variant.Name, seconds[i], p.Bytes, errors[i], mismatch[i], null)).ToList();
        return new SampleResult(sample, cooperative, results, rounds);
    }

    private static bool ImportsYield(byte[] bytes)
    {
        using var engine = new Engine();
        using var module = Module.FromBytes(engine, "probe", bytes);
        return module.Imports.Any(i => i.ModuleName == "continuum" && i.Name == "yield");
    }

    /// <summary>Prepares a <see cref="WorkloadInstance"/> (instrumented and compiled modules come from its caches), then times <see cref="WorkloadInstance.Run"/>.</summary>
    private static (double Seconds, byte[] Stdout) RunWorkload(Engine engine, WorkloadOptions options, byte[] original, string name, string[] args, bool cpuClock)
    {
        var sink = new CollectingSink();
        var spec = new WorkloadSpec(name, original, args, new Dictionary<string, string>(), MemoryLimitBytes: 1L << 30);
        using var instance = new WorkloadInstance(engine, spec, sink, options);
        RunOutcome? outcome = null;
        var seconds = ThreadCpuClock.Measure(() => outcome = instance.Run(), cpuClock);
        if (outcome is not { Succeeded: true })
        {
            throw new InvalidOperationException($"WorkloadInstance.Run failed: {outcome?.FailureReason}");
        }
        return (seconds, sink.Stdout());
    }

    private sealed class CollectingSink : IOutputSink
    {
        private readonly MemoryStream stdout = new();

        public void Write(bool stderr, ReadOnlySpan<byte> data)
        {
            if (!stderr)
            {
                lock (stdout)
                {
                    stdout.Write(data);
                }
            }
        }

        public byte[] Stdout()
        {
            lock (stdout)
            {
                return stdout.ToArray();
            }
        }
    }

    /// <summary>Instantiates and runs <c>_start</c>; only the call to <c>_start</c> is timed.</summary>
    private static (double Seconds, byte[] Stdout) RunOnce(Engine engine, Module module, string name, string[] args, bool cpuClock)
    {
        var stdoutFile = Path.GetTempFileName();
        try
        {
            using var linker = new Linker(engine);
            linker.DefineWasi();
            linker.DefineFunction("continuum", "yield", () => { });
            linker.DefineFunction("continuum", "check", () => { });
            using var store = new Store(engine);
            store.SetWasiConfiguration(new WasiConfiguration().WithArgs([name, .. args]).WithStandardOutput(stdoutFile));
            // Harmless without epoch interruption; with it, a deadline nobody reaches (nothing increments the epoch).
            store.SetEpochDeadline(1_000_000_000);
            var instance = linker.Instantiate(store, module);
            var start = instance.GetAction("_start") ?? throw new InvalidOperationException("no _start export");
            var seconds = ThreadCpuClock.Measure(
                () =>
                {
                    try
                    {
                        start();
                    }
                    catch (WasmtimeException ex) when (ex.ExitCode == 0)
                    {
                    }
                },
                cpuClock);
            return (seconds, File.ReadAllBytes(stdoutFile));
        }
        finally
        {
            File.Delete(stdoutFile);
        }
    }
}
