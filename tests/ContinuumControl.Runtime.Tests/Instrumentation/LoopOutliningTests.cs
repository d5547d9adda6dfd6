using ContinuumControl.Runtime.Binary;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Instrumentation;

/// <summary>
/// Innermost loops that call nothing run in functions of their own that Asyncify leaves alone (the cost of automatic
/// safe points, docs/benchmarks.md); loops that call or branch out stay where they are. Either way the result, and
/// a checkpoint taken inside the loop, must be exact.
/// </summary>
public class LoopOutliningTests
{
    private const int HotIterations = 300_000_000;

    private static readonly string Wat = $$"""
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func $hot (param $n i32) (result i32)
            (local $i i32) (local $acc i64) (local $f f64)
            (loop $l
              (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get $i))))
              (local.set $f (f64.add (local.get $f) (f64.convert_i64_u (i64.and (local.get $acc) (i64.const 1)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $acc) (i64.const 17))) (i32.trunc_f64_u (local.get $f))))
          (func $calls (param $n i32) (result i32)
            (local $i i32) (local $x i32)
            (loop $l
              (local.set $x (call $leaf (i32.mul (local.get $x) (i32.const 3))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $x))
          (func $escapes (param $n i32) (result i32)
            (local $i i32)
            (block $out
              (loop $l
                (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 3)))
                (br $l)))
            (local.get $i))
          (func (export "_start")
            (call $exit (i32.rem_u
              (i32.add (call $hot (i32.const {{HotIterations}})) (i32.add (call $calls (i32.const 1000)) (call $escapes (i32.const 1000))))
              (i32.const 126)))))
        """;

    private static readonly Lazy<(byte[] Original, byte[] Instrumented)> Modules = new(() =>
    {
        var original = Wasmtime.Module.ConvertText(Wat);
        return (original, new ModuleInstrumenter(Instrumented.Options).Instrument(original).Bytes);
    });

    private static WorkloadSpec Spec => new("loops", Modules.Value.Instrumented, [], new Dictionary<string, string>(), 1 << 24);

    /// <summary>The original module on plain Wasmtime: the exit code every instrumented run must reproduce.</summary>
    private static readonly Lazy<int> Expected = new(() => PlainWasmtime.ExitCode(Modules.Value.Original));

    [Fact]
    public void Instrument_OutlinesOnlyTheCallFreeLoop_WithItsLocalsAsParametersAndResults()
    {
        var file = WasmModuleFile.Parse(Modules.Value.Instrumented);
        var layout = ModuleLayout.Read(file);
        var multiResult = OutlinedFunctions.ReadFunctionTypes(file).Select(t => layout.Types[(int)t]).Where(t => t.Results.Length > 1).ToList();

        // $hot's loop uses $n, $i, $acc and $f and writes the last three; the status comes last.
        var outlined = Assert.Single(multiResult);
        Assert.Equal(new byte[] { 0x7F, 0x7F, 0x7E, 0x7C }, outlined.Params);
        Assert.Equal(new byte[] { 0x7F, 0x7E, 0x7C, 0x7F }, outlined.Results);
    }

    [Fact]
    public void Instrumented_ComputesWhatTheOriginalComputes()
    {
        using var engine = RuntimeEngine.Create();
        var instrumented = new WorkloadRunner(engine).Run(Spec, new CollectingSink(), CancellationToken.None);

        Assert.Equal(Expected.Value, instrumented.ExitCode);
    }

    [Fact]
    public async Task Checkpoint_InsideTheOutlinedLoop_IsReachedQuickly_AndRestoresToTheSameResult()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Path);

        CheckpointManifest manifest;
        byte[] moduleBytes;
        using (var engine = RuntimeEngine.Create())
        using (var instance = new WorkloadInstance(engine, Spec, new CollectingSink()))
        {
            var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
            Thread.Sleep(50);
            manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
            instance.Discard();
            Assert.True((await run).Discarded);
            moduleBytes = instance.Module.Bytes;
            Assert.True(instance.LastCheckpointTiming!.ToSafePoint < TimeSpan.FromMilliseconds(500), instance.LastCheckpointTiming.ToString());
        }

        using var target = RuntimeEngine.Create();
        using var restored = await WorkloadInstance.RestoreAsync(target, manifest, store, moduleBytes, new CollectingSink());
        Assert.Equal(Expected.Value, restored.Run().ExitCode);
    }
}
