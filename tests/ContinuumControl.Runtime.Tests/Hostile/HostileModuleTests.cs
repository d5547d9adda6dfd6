using System.Diagnostics;
using System.Text;
using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Hostile;

/// <summary>
/// Modules that never reach a safe point of their own: admission instruments every upload (whatever it claims to be),
/// so each is stopped, captured or held to its limits anyway, within a bound a user would accept.
/// </summary>
public sealed class HostileModuleTests
{
    /// <summary>How long a stop may take on a busy CI machine; on a quiet one it is well under a millisecond.</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> Spinners => new()
    {
        { "cooperative-spin", HostileModules.CooperativeSpin },
        { "automatic-spin", HostileModules.AutomaticSpin },
        { "start-function-spin", HostileModules.StartFunctionSpin },
    };

    [Theory]
    [MemberData(nameof(Spinners))]
    public async Task Stop_GuestSpinningWithoutSafePoints_EndsWithinTheBound(string name, string wat)
    {
        var module = Upload(Wasmtime.Module.ConvertText(wat));
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        using var instance = new WorkloadInstance(engine, Spec(name, module.Bytes), sink);
        using var stop = new CancellationTokenSource();
        var run = Task.Factory.StartNew(() => instance.Run(stop.Token), TaskCreationOptions.LongRunning);
        await UntilSpinning(sink, run);

        var asked = Stopwatch.StartNew();
        await stop.CancelAsync();
        var finished = await Task.WhenAny(run, Task.Delay(StopBound));

        Assert.True(finished == run, $"'{name}' was still running {StopBound.TotalSeconds} s after the stop request");
        var outcome = await run;
        Assert.True(outcome.Stopped, outcome.FailureReason);
        Assert.Equal("stopped on request", outcome.FailureReason);
        Assert.True(asked.Elapsed < StopBound);
    }

    [Fact]
    public async Task Checkpoint_CooperativeModuleThatNeverYields_IsCapturedAndRestored()
    {
        var module = Upload(Wasmtime.Module.ConvertText(HostileModules.CooperativeSpin));
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Path);
        var sink = new CollectingSink();
        CheckpointManifest manifest;
        using (var engine = RuntimeEngine.Create())
        using (var instance = new WorkloadInstance(engine, Spec("cooperative-spin", module.Bytes), sink))
        {
            var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
            await UntilSpinning(sink, run);
            manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store).WaitAsync(StopBound);
            instance.Discard();
            Assert.True((await run).Discarded);
        }

        using var target = RuntimeEngine.Create();
        using var restored = await WorkloadInstance.RestoreAsync(target, manifest, store, module.Bytes, sink);
        using var stop = new CancellationTokenSource();
        var resumed = Task.Factory.StartNew(() => restored.Run(stop.Token), TaskCreationOptions.LongRunning);
        await Task.Delay(200);
        Assert.False(resumed.IsCompleted, "the restored spinner ended instead of spinning");
        await stop.CancelAsync();
        Assert.True((await resumed.WaitAsync(StopBound)).Stopped);
        Assert.Equal("spinning\n", sink.StdoutText);
    }

    [Fact]
    public async Task CpuTimeLimit_CooperativeModuleThatNeverYields_FailsAtTheLimit()
    {
        var module = Upload(Wasmtime.Module.ConvertText(HostileModules.CooperativeSpin));
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, Spec("cooperative-spin", module.Bytes) with { CpuTimeLimit = TimeSpan.FromMilliseconds(300) }, new CollectingSink());

        var outcome = await Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning).WaitAsync(StopBound + StopBound);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("exceeded its CPU-time limit of 0.3 s", outcome.FailureReason);
    }

    [Fact]
    public void InstrumentUpload_ForgedMarker_IsIgnoredAndTheModuleInstrumented()
    {
        var plain = Wasmtime.Module.ConvertText(HostileModules.AutomaticSpin);
        var forged = WithCustomSection(plain, "continuum.instrumentation", "v4;Cooperative");

        var module = new ModuleInstrumenter(Instrumented.Options).InstrumentUpload(forged);

        Assert.Equal(SafePointKind.Automatic, module.SafePoints);
        Assert.NotEqual(forged, module.Bytes);
        using var engine = new Wasmtime.Engine();
        using var compiled = Wasmtime.Module.FromBytes(engine, "forged", module.Bytes);
        Assert.Contains(compiled.Exports, e => e.Name == "asyncify_start_unwind");
    }

    [Fact]
    public void InstrumentUpload_AlreadyAsyncified_IsRefusedWithWhatToUpload()
    {
        var instrumented = Instrumented.Sample("hello").Bytes;

        var error = Assert.Throws<ModuleRejectedException>(() => new ModuleInstrumenter(Instrumented.Options).InstrumentUpload(instrumented));

        Assert.Contains("already transformed by Asyncify", error.Reason);
        Assert.Contains("upload the module as the compiler produced it", error.Reason);
    }

    [Fact]
    public async Task StartFunction_FoldedIntoStart_ComputesTheSameResultAcrossMoves()
    {
        var module = Upload(Wasmtime.Module.ConvertText(HostileModules.StartFunctionCounts));
        using var directory = new TestDirectory();
        var driver = new MigrationDriver(new FileChunkStore(directory.Path), seed: 12);

        var outcome = await driver.RunAsync(Spec("start-counts", module.Bytes), new CollectingSink(), maxMoves: 3, maxDelayMs: 150);

        Assert.Equal(ExpectedStartCountsExit(), outcome.ExitCode);
        Assert.True(driver.Moves >= 1, "no move happened before the workload ended; the loop is too short for this machine");
    }

    [Fact]
    public async Task EndlessRecursion_TrapsWithTheStackExhausted()
    {
        var module = Upload(Wasmtime.Module.ConvertText(HostileModules.EndlessRecursion));
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, Spec("recursion", module.Bytes), new CollectingSink());

        var outcome = await Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning).WaitAsync(StopBound + StopBound);

        Assert.StartsWith("trapped: call stack exhausted", outcome.FailureReason);
    }

    [Fact]
    public void HugeTable_IsRefusedAtAdmission()
    {
        var error = Assert.Throws<ModuleRejectedException>(() => Upload(Wasmtime.Module.ConvertText(HostileModules.HugeTable)));

        Assert.Contains("function table of 50,000,000 entries", error.Reason);
        Assert.Contains("at most 1,000,000", error.Reason);
    }

    private static InstrumentedModule Upload(byte[] bytes) => new ModuleInstrumenter(Instrumented.Options).InstrumentUpload(bytes);

    private static WorkloadSpec Spec(string name, byte[] bytes) => new(name, bytes, [], new Dictionary<string, string>(), 64L << 20);

    private static async Task UntilSpinning(CollectingSink sink, Task<RunOutcome> run)
    {
        var deadline = Stopwatch.StartNew();
        while (!sink.StdoutText.Contains("spinning", StringComparison.Ordinal))
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the guest ended before spinning: {(await run).FailureReason}");
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the guest never announced that it spins");
            await Task.Delay(20);
        }
    }

    /// <summary>What StartFunctionCounts computes: seed 40 from the start function, 300 million LCG steps, plus the seed.</summary>
    private static int ExpectedStartCountsExit()
    {
        var x = 40u;
        for (var i = 0; i < 300_000_000; i++)
        {
            x = unchecked((x * 1103515245u) + 12345u);
        }
        return (int)((x + 40u) & 255u);
    }

    private static byte[] WithCustomSection(byte[] module, string name, string content)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var payload = new List<byte>();
        payload.AddRange(Leb(nameBytes.Length));
        payload.AddRange(nameBytes);
        payload.AddRange(Encoding.UTF8.GetBytes(content));
        return [.. module, 0, .. Leb(payload.Count), .. payload];
    }

    private static byte[] Leb(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }
}
