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
        MigrationDriver.Uninterrupted(Workloads.Spec("hello", "4")).AssertSameAs(sink);
    }
}

public class PrecompiledModuleCacheTrustTests
{
    [Fact]
    public void Load_TamperedArtifact_IsIgnoredAndRecompiled()
    {
        using var directory = new TestDirectory();
        var cache = new PrecompiledModuleCache(directory.Path);
        var module = Instrumented.Sample("counter");
        using var engine = RuntimeEngine.Create();
        cache.Load(engine, "counter", module.Hash, module.Bytes).Dispose();
        var path = Path.Combine(directory.Path, PrecompiledModuleCache.KeyFor(module.Hash) + ".cwasm");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        using (var recompiled = cache.Load(engine, "counter", module.Hash, module.Bytes))
        {
            Assert.Contains(recompiled.Exports, e => e.Name == "_start");
        }
        using var again = cache.Load(engine, "counter", module.Hash, module.Bytes);

        Assert.Equal(1, cache.Rejected);
        // The rewritten artifact is this cache's own again: the third load is a hit.
        Assert.Equal(1, cache.Hits);
        Assert.NotEqual(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_ArtifactWrittenByAnotherCache_IsNotTrusted()
    {
        using var directory = new TestDirectory();
        var module = Instrumented.Sample("counter");
        using var engine = RuntimeEngine.Create();
        // Same engine, same module, valid HMAC under another key: what a process that could write the file but not
        // read this node's key would produce.
        new PrecompiledModuleCache(directory.Sub("other")).Load(engine, "counter", module.Hash, module.Bytes).Dispose();
        var name = PrecompiledModuleCache.KeyFor(module.Hash) + ".cwasm";
        var cache = new PrecompiledModuleCache(directory.Sub("mine"));
        cache.Load(engine, "counter", module.Hash, module.Bytes).Dispose();
        File.Copy(Path.Combine(directory.Sub("other"), name), Path.Combine(directory.Sub("mine"), name), overwrite: true);

        cache.Load(engine, "counter", module.Hash, module.Bytes).Dispose();

        Assert.Equal(1, cache.Rejected);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void Load_CreatesAPrivateDirectoryAndKey()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var directory = new TestDirectory();
        var path = directory.Sub("precompiled");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        var module = Instrumented.Sample("counter");
        using var engine = RuntimeEngine.Create();

        new PrecompiledModuleCache(path).Load(engine, "counter", module.Hash, module.Bytes).Dispose();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(path, "precompiled.key")));
        var artifacts = Directory.GetFiles(path, "*.cwasm");
        Assert.Single(artifacts);
        foreach (var artifact in artifacts)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(artifact));
        }
    }
}
