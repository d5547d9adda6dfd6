using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Instrumentation;

public class SafePointTests
{
    /// <summary>
    /// Nested loops whose bodies branch to outer labels (br, br_if, br_table), a loop with a result type and a
    /// recursive function: the safe-point rewrite renumbers branches around its wrapper blocks, so any mistake
    /// changes the exit code.
    /// </summary>
    private const string BranchyWat = """
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (global $acc (mut i32) (i32.const 7))
          (func $fib (param $n i32) (result i32)
            (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
              (then (local.get $n))
              (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
          (func $work (param $rounds i32) (result i32)
            (local $i i32) (local $j i32) (local $x i32)
            (block $done
              (loop $outer
                (br_if $done (i32.ge_u (local.get $i) (local.get $rounds)))
                (local.set $j (i32.const 0))
                (block $inner_done
                  (loop $inner
                    (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 31)) (local.get $j)))
                    (block $c (block $b (block $a
                      (br_table $a $b $c (i32.rem_u (local.get $j) (i32.const 3))))
                      (local.set $x (i32.xor (local.get $x) (i32.const 0x55)))
                      (br $c))
                      (if (i32.eq (local.get $x) (i32.const 12345)) (then (br $done))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br_if $inner_done (i32.eq (local.get $j) (i32.const 1000)))
                    (br $inner)))
                (global.set $acc (i32.add (global.get $acc) (local.get $x)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $outer)))
            (i32.add (global.get $acc)
              (loop $sum (result i32)
                (local.set $i (i32.sub (local.get $i) (i32.const 1)))
                (br_if $sum (i32.gt_s (local.get $i) (i32.const 0)))
                (call $fib (i32.const 15)))))
          (func (export "_start")
            (call $exit (i32.and (call $work (i32.const 3000)) (i32.const 255)))))
        """;

    [Fact]
    public void Instrument_BranchyLoops_ComputeTheSameResultAsTheOriginal()
    {
        var original = Wasmtime.Module.ConvertText(BranchyWat);
        var expected = PlainWasmtime.ExitCode(original);
        var instrumented = new ModuleInstrumenter(Instrumented.Options).Instrument(original);
        using var engine = RuntimeEngine.Create();

        var outcome = new WorkloadRunner(engine).Run(new WorkloadSpec("branchy", instrumented.Bytes, [], new Dictionary<string, string>(), 1 << 24), new CollectingSink(), CancellationToken.None);

        Assert.Equal(SafePointKind.Automatic, instrumented.SafePoints);
        Assert.Equal(expected, outcome.ExitCode);
    }

    [Fact]
    public async Task RequestCheckpoint_LoopThatNeverCallsTheHost_ReachesSafePointQuickly()
    {
        using var directory = new TestDirectory();
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, Workloads.Spec("matmul"), new CollectingSink());
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        await Task.Delay(100);

        await instance.RequestCheckpoint(CheckpointMode.Pause, new FileChunkStore(directory.Path));
        instance.Discard();
        await run;

        // Typically well under a millisecond; the bound is loose because CI machines are busy.
        Assert.True(instance.LastCheckpointTiming!.ToSafePoint < TimeSpan.FromMilliseconds(500), instance.LastCheckpointTiming.ToString());
    }
}
