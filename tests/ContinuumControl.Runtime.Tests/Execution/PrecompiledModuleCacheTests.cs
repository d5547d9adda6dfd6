using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Execution;

public class PrecompiledModuleCacheTests
{
    [Fact]
    public void Load_SecondTime_DeserializesTheStoredArtifact()
    {
        using var directory = new TestDirectory();
        var cache = new PrecompiledModuleCache(directory.Path);
        var module = Instrumented.Sample("counter");
        using var engine = RuntimeEngine.Create();

        using (cache.Load(engine, "counter", module.Hash, module.Bytes))
        {
        }
        using var second = cache.Load(engine, "counter", module.Hash, module.Bytes);

        Assert.Equal(1, cache.Hits);
        Assert.Single(Directory.GetFiles(directory.Path, "*.cwasm"));
        Assert.Contains(second.Exports, e => e.Name == "asyncify_start_unwind");
    }

    [Fact]
    public void Load_ArtifactFromAnotherEngineConfiguration_RecompilesInsteadOfFailing()
    {
        using var directory = new TestDirectory();
        var module = Instrumented.Sample("counter");
        using var other = new Wasmtime.Engine(new Wasmtime.Config().WithOptimizationLevel(Wasmtime.OptimizationLevel.None).WithEpochInterruption(true));
        using (var foreign = Wasmtime.Module.FromBytes(other, "counter", module.Bytes))
        {
            File.WriteAllBytes(Path.Combine(directory.Path, PrecompiledModuleCache.KeyFor(module.Hash) + ".cwasm"), foreign.Serialize());
        }
        var cache = new PrecompiledModuleCache(directory.Path);
        using var engine = RuntimeEngine.Create();

        using var loaded = cache.Load(engine, "counter", module.Hash, module.Bytes);

        Assert.Equal(0, cache.Hits);
        Assert.Contains(loaded.Exports, e => e.Name == "_start");
    }

    [Fact]
    public async Task RestoreAsync_WithWarmPrecompiledCache_RestoresWithoutCompiling()
    {
        using var directory = new TestDirectory();
        var options = new WorkloadOptions { Instrumentation = Instrumented.Options, PrecompiledCache = new PrecompiledModuleCache(directory.Sub("precompiled")) };
        var store = new FileChunkStore(directory.Sub("chunks"));
        var sink = new CollectingSink();
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "4"), store, sink);
        using var warm = RuntimeEngine.Create();
        options.PrecompiledCache.Load(warm, "hello", manifest.ModuleHash, module).Dispose();
        using var engine = RuntimeEngine.Create();

        using var restored = await WorkloadInstance.RestoreAsync(engine, manifest, store, module, sink, new RestoreOptions { Workload = options });
        var resumed = 0;
        restored.Resumed = () => resumed++;
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(1, options.PrecompiledCache.Hits);
        Assert.NotNull(restored.LastRestoreTiming);
        Assert.Equal(1, resumed);
        Assert.Equal(MigrationDriver.Uninterrupted(Workloads.Spec("hello", "4")), sink.Stdout);
    }
}
