using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Instrumentation;

public class ModuleInstrumenterTests
{
    [Fact]
    public void Instrument_WasmOptMissing_RefusesWithInstallInstructions()
    {
        var instrumenter = new ModuleInstrumenter(new InstrumentationOptions { WasmOptPath = "/nonexistent/bin/wasm-opt" });

        var error = Assert.Throws<InstrumentationUnavailableException>(() => instrumenter.Instrument(Samples.Module("hello")));

        Assert.Contains("apt-get install binaryen", error.Reason);
        Assert.Contains("/nonexistent/bin/wasm-opt", error.Reason);
        Assert.Contains("WasmOptPath", error.Reason);
        Assert.False(instrumenter.CanInstrument);
    }

    [Fact]
    public void Run_AlreadyInstrumentedModuleWithoutWasmOpt_Runs()
    {
        var instrumented = Instrumented.Sample("hello");
        var options = new WorkloadOptions { Instrumentation = new InstrumentationOptions { WasmOptPath = "/nonexistent/bin/wasm-opt" } };
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();

        var outcome = new WorkloadRunner(engine, options).Run(Workloads.Spec("hello", "2"), sink, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.StartsWith("hello from ContinuumControl: 2 lines", sink.StdoutText);
        Assert.Equal(instrumented.Hash, new ModuleInstrumenter(options.Instrumentation).Instrument(instrumented.Bytes).Hash);
    }

    [Theory]
    [InlineData("hello", SafePointKind.Cooperative)]
    [InlineData("counter", SafePointKind.Cooperative)]
    [InlineData("never-yields", SafePointKind.Automatic)]
    public void Instrument_Sample_ChoosesSafePointsAndExportsState(string sample, SafePointKind kind)
    {
        var instrumented = Instrumented.Sample(sample);
        using var engine = RuntimeEngine.Create();
        using var module = Wasmtime.Module.FromBytes(engine, sample, instrumented.Bytes);
        var exports = module.Exports.Select(e => e.Name).ToList();

        Assert.Equal(kind, instrumented.SafePoints);
        Assert.Contains("asyncify_start_unwind", exports);
        Assert.Contains(exports, e => e.StartsWith(GlobalExportRewriter.ExportPrefix, StringComparison.Ordinal));
        // Every module has the inline checks and their flag; only cooperative ones route them to continuum.check.
        Assert.Contains(FlagMemoryRewriter.FlagMemoryExport, exports);
        Assert.Equal(kind == SafePointKind.Cooperative, module.Imports.Any(i => i.ModuleName == "continuum" && i.Name == SafePointRewriter.CheckImport));
    }

    [Fact]
    public void Instrument_SecondTimeWithCacheDirectory_ComesFromCache()
    {
        using var directory = new TestDirectory();
        var options = new InstrumentationOptions { CacheDirectory = directory.Path };

        var first = new ModuleInstrumenter(options).Instrument(Samples.Module("counter"));
        var second = new ModuleInstrumenter(options with { WasmOptPath = "/nonexistent/wasm-opt" }).Instrument(Samples.Module("counter"));

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Hash, second.Hash);
    }
}
