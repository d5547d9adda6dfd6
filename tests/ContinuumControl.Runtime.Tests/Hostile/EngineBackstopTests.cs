using System.Diagnostics;
using ContinuumControl.Runtime.Binary;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Hostile;

/// <summary>
/// The engine-level backstop: on an engine made with it, a guest that reaches no safe point is killed a bounded time
/// after it was told to stop. Admission leaves no loop without a safe point, so the guest here is what a gap in the
/// instrumentation would look like: a module that carries this runtime's marker and the Asyncify exports (as stubs)
/// and spins in a loop without a check. It reaches the runtime directly, as a trusted module would.
/// </summary>
public sealed class EngineBackstopTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const string UncheckedSpin = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "spinning\n")
          (func (export "asyncify_start_unwind") (param i32))
          (func (export "asyncify_stop_unwind"))
          (func (export "asyncify_start_rewind") (param i32))
          (func (export "asyncify_stop_rewind"))
          (func (export "asyncify_get_state") (result i32) (i32.const 0))
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 9))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (loop (br 0))))
        """;

    [Fact]
    public async Task Stop_GuestThatReachesNoSafePoint_IsKilledAfterTheGrace_AndTheOutcomeSaysSo()
    {
        using var engine = RuntimeEngine.Create(epochBackstop: true);
        using var instance = new WorkloadInstance(engine, Spec(), new CollectingSink(), new WorkloadOptions { EngineBackstop = Grace });
        using var stop = new CancellationTokenSource();
        var run = Task.Factory.StartNew(() => instance.Run(stop.Token), TaskCreationOptions.LongRunning);
        await Task.Delay(300);
        Assert.False(run.IsCompleted, $"the spinner ended by itself: {(run.IsCompleted ? (await run).FailureReason : "")}");

        var asked = Stopwatch.StartNew();
        await stop.CancelAsync();
        var outcome = await run.WaitAsync(Bound);

        Assert.True(outcome.Stopped);
        Assert.Equal("did not reach a safe point within 0.5 s of being told to stop; killed by the engine backstop", outcome.FailureReason);
        Assert.InRange(asked.Elapsed, Grace, Bound);
    }

    [Fact]
    public async Task CpuTimeLimit_GuestThatReachesNoSafePoint_IsKilledByTheBackstop()
    {
        using var engine = RuntimeEngine.Create(epochBackstop: true);
        using var instance = new WorkloadInstance(engine, Spec() with { CpuTimeLimit = TimeSpan.FromMilliseconds(200) }, new CollectingSink(),
            new WorkloadOptions { EngineBackstop = Grace });

        var outcome = await Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning).WaitAsync(Bound);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Stopped);
        Assert.Equal("did not reach a safe point within 0.5 s of being told to check its CPU-time limit; killed by the engine backstop", outcome.FailureReason);
    }

    [Theory]
    [InlineData("rust-collections", new[] { "10", "2000" }, 21)]
    [InlineData("matmul", new[] { "3" }, 22)]
    public async Task BackstopEngine_RunsAndMovesInstrumentedWorkloads_AsIfItWereNotThere(string sample, string[] args, int seed)
    {
        var spec = Workloads.Spec(sample, args);
        var expected = MigrationDriver.Uninterrupted(spec);
        using var directory = new TestDirectory();
        var driver = new MigrationDriver(new Runtime.Checkpoints.FileChunkStore(directory.Sub("chunks")), seed) { EpochBackstop = true };
        var sink = new CollectingSink();

        var outcome = await driver.RunAsync(spec, sink, maxMoves: 2, maxDelayMs: 40);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        expected.AssertSameAs(sink);
    }

    private static WorkloadSpec Spec()
    {
        var file = WasmModuleFile.Parse(Wasmtime.Module.ConvertText(UncheckedSpin));
        InstrumentationMarker.Write(file, SafePointKind.Automatic);
        return new WorkloadSpec("unchecked-spin", file.ToBytes(), [], new Dictionary<string, string>(), 64L << 20);
    }
}
