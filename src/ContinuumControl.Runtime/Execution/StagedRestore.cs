using System.Diagnostics;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// The first stage of a two-stage restore: a migration target instantiates the module and writes the pre-copy's
/// memory into it while the source still runs. The restore during the pause (pass this through
/// <see cref="RestoreOptions.Staged"/>) then takes the instance over and writes only the pages that changed since,
/// the globals and the call stack, instead of instantiating and copying all of memory while the workload is paused.
/// Every chunk goes through the same checks as in a restore. A staged instance that does not fit the final
/// checkpoint (another module or workload, other arguments, environment, preopens or memory limit, or less memory) is
/// not used: the restore then starts from scratch, correct but slower. Dispose it when it is not taken.
/// </summary>
public sealed class StagedRestore : IDisposable
{
    private readonly Lock sync = new();
    private readonly string workloadName;
    private readonly IReadOnlyList<string> args;
    private readonly IReadOnlyDictionary<string, string> env;
    private readonly IReadOnlyList<PreopenedDirectory> preopens;
    private readonly long memoryLimit;
    private Taken? held;

    private StagedRestore(CheckpointManifest preCopy, RestoreOptions options, IReadOnlyList<PreopenedDirectory> preopens, long memoryLimit, Taken taken)
    {
        workloadName = preCopy.WorkloadName;
        args = RestoreChecks.Args(preCopy, options);
        env = RestoreChecks.Env(preCopy, options);
        this.preopens = preopens;
        this.memoryLimit = memoryLimit;
        ModuleHash = preCopy.ModuleHash;
        MemoryPages = preCopy.MemoryPages;
        held = taken;
    }

    /// <summary>The module hash of the pre-copy this instance holds.</summary>
    public string ModuleHash { get; }

    /// <summary>Pages of linear memory in place.</summary>
    public long MemoryPages { get; }

    /// <summary>
    /// Verifies the pre-copy's chunks (pages in <see cref="RestoreOptions.VerifiedPages"/> are not checked again),
    /// compiles or loads the module, instantiates it and writes the pre-copy's memory into it. Throws
    /// <see cref="CheckpointRejectedException"/> for what a restore of <paramref name="preCopy"/> would refuse.
    /// </summary>
    public static async Task<StagedRestore> PrepareAsync(
        Engine engine, CheckpointManifest preCopy, IChunkStore chunks, byte[] moduleBytes, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var taken = await PrepareTakenAsync(engine, preCopy, chunks, moduleBytes, options, cancellationToken);
        return new StagedRestore(preCopy, options, RestoreChecks.Preopens(preCopy, options), RestoreChecks.MemoryLimit(preCopy, options), taken);
    }

    /// <summary>
    /// Compiles (or loads) the module, instantiates it and loads <paramref name="manifest"/>'s memory into it: a restore
    /// from scratch does exactly this with the final checkpoint.
    /// </summary>
    internal static async Task<Taken> PrepareTakenAsync(Engine engine, CheckpointManifest manifest, IChunkStore chunks, byte[] moduleBytes, RestoreOptions options, CancellationToken cancellationToken)
    {
        CheckpointLoader.Check(manifest, RestoreChecks.ModuleHash(moduleBytes));
        var instrumented = RestoreChecks.Module(manifest, moduleBytes, options);
        var memoryLimit = RestoreChecks.MemoryLimit(manifest, options);
        var preopens = RestoreChecks.Preopens(manifest, options);
        var started = Stopwatch.GetTimestamp();
        var module = RestoreChecks.Compile(engine, options.Workload, manifest.WorkloadName, instrumented);
        var compiled = Stopwatch.GetTimestamp();
        GuestInstance? guest = null;
        try
        {
            guest = GuestInstance.Create(engine, module, manifest.WorkloadName, RestoreChecks.Args(manifest, options), RestoreChecks.Env(manifest, options), preopens, memoryLimit);
            var instantiated = Stopwatch.GetTimestamp();
            await MemoryImage.LoadAsync(guest.Memory, manifest, inPlace: null, chunks, options.VerifiedPages, cancellationToken);
            var timing = new RestoreTiming(Stopwatch.GetElapsedTime(instantiated), Stopwatch.GetElapsedTime(started, compiled), Stopwatch.GetElapsedTime(compiled, instantiated), TimeSpan.Zero, TimeSpan.Zero);
            return new Taken(instrumented, module, guest, MemoryImage.Map(manifest), timing);
        }
        catch
        {
            guest?.Dispose();
            module.Dispose();
            throw;
        }
    }

    /// <summary>Why this staged instance cannot continue <paramref name="manifest"/>, or null when it can (and has not been taken).</summary>
    public string? Mismatch(CheckpointManifest manifest, RestoreOptions options)
    {
        lock (sync)
        {
            if (held is null)
            {
                return "it was already used or disposed";
            }
        }
        if (manifest.ModuleHash != ModuleHash || manifest.WorkloadName != workloadName)
        {
            return "the checkpoint is of another module or workload";
        }
        var wantedArgs = RestoreChecks.Args(manifest, options);
        var wantedEnv = RestoreChecks.Env(manifest, options);
        if (!wantedArgs.SequenceEqual(args) || wantedEnv.Count != env.Count || wantedEnv.Any(kv => !env.TryGetValue(kv.Key, out var value) || value != kv.Value))
        {
            return "the checkpoint has other arguments or environment";
        }
        if ((options.MemoryLimitBytes ?? manifest.MemoryLimitBytes) != memoryLimit)
        {
            return "the restore has another memory limit";
        }
        if (manifest.MemoryPages < MemoryPages)
        {
            return "the checkpoint has less memory than the staged instance, and linear memory cannot shrink";
        }
        try
        {
            return RestoreChecks.Preopens(manifest, options).SequenceEqual(preopens) ? null : "the checkpoint has other preopened directories";
        }
        catch (CheckpointRejectedException ex)
        {
            return ex.Reason;
        }
    }

    public void Dispose()
    {
        Taken? taken;
        lock (sync)
        {
            taken = held;
            held = null;
        }
        taken?.Dispose();
    }

    /// <summary>Hands the instance over to a restore of <paramref name="manifest"/> if it fits; the caller owns what it gets.</summary>
    internal Taken? TryTake(CheckpointManifest manifest, RestoreOptions options)
    {
        if (Mismatch(manifest, options) is not null)
        {
            return null;
        }
        lock (sync)
        {
            var taken = held;
            held = null;
            return taken;
        }
    }

    /// <summary>What a restore takes over: the instrumented and compiled module, the instance, and which chunk each page of its memory holds.</summary>
    /// <param name="Timing">How long preparing it took (compile, instantiate, load memory): a restore from scratch reports this.</param>
    internal sealed record Taken(InstrumentedModule Instrumented, Module Module, GuestInstance Guest, IReadOnlyDictionary<long, string> Pages, RestoreTiming Timing) : IDisposable
    {
        public void Dispose()
        {
            Guest.Dispose();
            Module.Dispose();
        }
    }
}
