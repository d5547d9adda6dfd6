using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>A manifest is the word of the agent that took it: a restore runs with the arguments and environment it is commanded to.</summary>
public class RestoreStateTests
{
    /// <summary>Yields, spins a little, then prints its argument and environment buffers as WASI hands them over.</summary>
    private const string PrintArgsAfterYieldWat = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "continuum" "yield" (func $yield))
          (memory (export "memory") 1)
          (func $print (param $ptr i32) (param $len i32)
            (i32.store (i32.const 0) (local.get $ptr))
            (i32.store (i32.const 4) (local.get $len))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func (export "_start")
            (local $i i32)
            (loop $spin
              (if (i32.eqz (i32.and (local.get $i) (i32.const 0xFFFF))) (then (call $yield)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $spin (i32.lt_u (local.get $i) (i32.const 0x100000))))
            (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
            (drop (call $args_get (i32.const 256) (i32.const 1024)))
            (call $print (i32.const 1024) (i32.load (i32.const 20)))
            (drop (call $environ_sizes_get (i32.const 24) (i32.const 28)))
            (drop (call $environ_get (i32.const 512) (i32.const 4096)))
            (call $print (i32.const 4096) (i32.load (i32.const 28)))))
        """;

    [Fact]
    public async Task Restore_ManifestTamperedWithArgsAndEnv_RunsWithTheCommandsOnes()
    {
        using var directory = new TestDirectory();
        var module = new ModuleInstrumenter(Instrumented.Options).Instrument(Wasmtime.Module.ConvertText(PrintArgsAfterYieldWat)).Bytes;
        var spec = new WorkloadSpec("printer", module, ["command-arg"], new Dictionary<string, string> { ["MODE"] = "command" }, 1 << 24);
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, instrumented) = await Checkpointing.TakeAsync(spec, store, new CollectingSink());
        var tampered = manifest with
        {
            Wasi = manifest.Wasi with { Args = ["printer", "tampered-arg"], Env = new Dictionary<string, string> { ["MODE"] = "tampered", ["LD_PRELOAD"] = "evil" } },
        };
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();

        using var restored = await WorkloadInstance.RestoreAsync(engine, tampered, store, instrumented, sink,
            new RestoreOptions { Args = spec.Args, Env = spec.Env, Preopens = [] });
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Contains("command-arg", sink.StdoutText);
        Assert.Contains("MODE=command", sink.StdoutText);
        Assert.DoesNotContain("tampered", sink.StdoutText);
        Assert.DoesNotContain("LD_PRELOAD", sink.StdoutText);
    }

    [Fact]
    public async Task Restore_ManifestTamperedWithPreopens_OpensOnlyWhatTheCommandGrants()
    {
        using var directory = new TestDirectory();
        var module = new ModuleInstrumenter(Instrumented.Options).Instrument(Wasmtime.Module.ConvertText(PrintArgsAfterYieldWat)).Bytes;
        var spec = new WorkloadSpec("printer", module, [], new Dictionary<string, string>(), 1 << 24);
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, instrumented) = await Checkpointing.TakeAsync(spec, store, new CollectingSink());
        var tampered = manifest with { Wasi = manifest.Wasi with { Preopens = [new CheckpointPreopen("host-root", "/")] } };
        using var engine = RuntimeEngine.Create();

        using var restored = await WorkloadInstance.RestoreAsync(engine, tampered, store, instrumented, new CollectingSink(),
            new RestoreOptions { Args = ["granted"], Preopens = [], Volumes = new Dictionary<string, string> { ["host-root"] = directory.Sub("root") } });
        var next = restored.RequestCheckpoint(CheckpointMode.Continue, store);
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        // What the restored run had is what its next checkpoint records: the command's grant, not the tampered one.
        var recorded = (await next).Wasi;
        Assert.Empty(recorded.Preopens);
        Assert.Equal(["granted"], recorded.Args);
    }
}
