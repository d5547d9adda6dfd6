using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>What a restore decides from a manifest and the node's options, shared by a restore and a staged restore so both refuse the same things.</summary>
internal static class RestoreChecks
{
    /// <summary>The module as this runtime runs it; refuses a checkpoint taken with another instrumentation version.</summary>
    public static InstrumentedModule Module(CheckpointManifest manifest, byte[] moduleBytes, RestoreOptions options)
    {
        var instrumented = new ModuleInstrumenter(options.Workload.Instrumentation).Instrument(moduleBytes);
        InstrumentationVersion(manifest);
        return instrumented;
    }

    public static void InstrumentationVersion(CheckpointManifest manifest)
    {
        if (manifest.InstrumentationVersion != InstrumentationMarker.Version)
        {
            throw new CheckpointRejectedException($"the checkpoint was taken with instrumentation version {manifest.InstrumentationVersion}; this runtime uses version {InstrumentationMarker.Version}");
        }
    }

    public static string ModuleHash(byte[] moduleBytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(moduleBytes));

    /// <summary>The memory limit the restored run gets; refuses a checkpoint whose memory exceeds it.</summary>
    public static long MemoryLimit(CheckpointManifest manifest, RestoreOptions options)
    {
        var limit = options.MemoryLimitBytes ?? manifest.MemoryLimitBytes;
        if (manifest.MemoryPages * CheckpointManifest.PageSize > limit)
        {
            throw new CheckpointRejectedException($"the checkpoint holds {manifest.MemoryPages * CheckpointManifest.PageSize / (1024 * 1024)} MiB of memory, more than the memory limit of {limit / (1024 * 1024)} MiB on this node");
        }
        return limit;
    }

    /// <summary>The restored run's arguments: the command's when given, else the checkpoint's.</summary>
    public static IReadOnlyList<string> Args(CheckpointManifest manifest, RestoreOptions options) => options.Args ?? manifest.Wasi.Args;

    /// <summary>The restored run's environment: the command's when given, else the checkpoint's.</summary>
    public static IReadOnlyDictionary<string, string> Env(CheckpointManifest manifest, RestoreOptions options) => options.Env ?? manifest.Wasi.Env;

    /// <summary>The restored run's preopened directories (the command's when given, else the checkpoint's) mapped to this node's volume paths.</summary>
    public static List<PreopenedDirectory> Preopens(CheckpointManifest manifest, RestoreOptions options) =>
        (options.Preopens ?? manifest.Wasi.Preopens).Select(p => new PreopenedDirectory(p.Volume, VolumePath(options, p.Volume), p.GuestPath)).ToList();

    /// <summary>Compiles the module, or loads it from the node's precompiled cache.</summary>
    public static Module Compile(Engine engine, WorkloadOptions options, string name, InstrumentedModule instrumented) =>
        options.PrecompiledCache is { } cache
            ? cache.Load(engine, name, instrumented.Hash, instrumented.Bytes)
            : Wasmtime.Module.FromBytes(engine, name, instrumented.Bytes);

    private static string VolumePath(RestoreOptions restore, string volume) =>
        restore.Volumes.TryGetValue(volume, out var path)
            ? path
            : throw new CheckpointRejectedException($"the checkpoint preopens volume '{volume}', which this node does not map; add it to RestoreOptions.Volumes");
}
