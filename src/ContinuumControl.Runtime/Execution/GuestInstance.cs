using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// The Wasmtime side of one run: a store with its WASI context, the instance, and the exports the runtime drives.
/// It can be created before the <see cref="WorkloadInstance"/> that runs it exists (a <see cref="StagedRestore"/>
/// instantiates while the migration source still runs), so safe points reach the workload through <see cref="Connect"/>
/// rather than through a callback bound at creation, and output waits in <see cref="Stdio"/> until the workload reads it.
/// </summary>
internal sealed class GuestInstance : IDisposable
{
    private Action? onYield;
    private Action? onCheck;
    private Func<ulong>? onEpoch;

    private GuestInstance(Store store, Instance instance, GuestStdio stdio)
    {
        Store = store;
        Stdio = stdio;
        Instance = instance;
        Memory = instance.GetMemory(GlobalExportRewriter.MemoryExport) ?? instance.GetMemory("memory")
            ?? throw new InvalidOperationException("the module exports no linear memory; it was not instrumented by this runtime");
        Entry = instance.GetAction("_start") ?? throw new InvalidOperationException("the module exports no _start function");
        const string notInstrumented = "the module lacks the asyncify_* exports; it was not instrumented by this runtime";
        StartUnwind = instance.GetAction<int>("asyncify_start_unwind") ?? throw new InvalidOperationException(notInstrumented);
        StopUnwind = instance.GetAction("asyncify_stop_unwind") ?? throw new InvalidOperationException(notInstrumented);
        StartRewind = instance.GetAction<int>("asyncify_start_rewind") ?? throw new InvalidOperationException(notInstrumented);
        StopRewind = instance.GetAction("asyncify_stop_rewind") ?? throw new InvalidOperationException(notInstrumented);
        AsyncifyState = instance.GetFunction<int>("asyncify_get_state") ?? throw new InvalidOperationException(notInstrumented);
        FlagWord = instance.GetMemory(FlagMemoryRewriter.FlagMemoryExport)?.GetPointer() ?? IntPtr.Zero;
    }

    public Store Store { get; }

    /// <summary>The files the guest's stdout and stderr go to.</summary>
    public GuestStdio Stdio { get; }

    public Instance Instance { get; }

    public Memory Memory { get; }

    public Action Entry { get; }

    public Action<int> StartUnwind { get; }

    public Action StopUnwind { get; }

    public Action<int> StartRewind { get; }

    public Action StopRewind { get; }

    public Func<int> AsyncifyState { get; }

    /// <summary>The word the inline safe-point checks read (automatic safe points), or zero.</summary>
    public IntPtr FlagWord { get; }

    /// <summary>Instantiates <paramref name="module"/> with WASI (args, environment, preopens) under a memory limit. Runs no guest code but a start function.</summary>
    public static GuestInstance Create(Engine engine, Module module, string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, IReadOnlyList<PreopenedDirectory> preopens, long memoryLimit)
    {
        using var linker = new Linker(engine);
        linker.DefineWasi();
        GuestInstance? created = null;
        // Bound to the instance once it exists: the callbacks forward to whatever workload Connect names.
        linker.DefineFunction(HostCapabilities.Continuum, "yield", () => created?.onYield?.Invoke());
        linker.DefineFunction(HostCapabilities.Continuum, SafePointRewriter.CheckImport, () => created?.onCheck?.Invoke());
        var store = new Store(engine);
        var stdio = GuestStdio.Create();
        try
        {
            if (RuntimeEngine.HasBackstop(engine))
            {
                // Every epoch tick asks the workload whether to go on; before it is connected (a start function), yes.
                store.SetEpochDeadline(1);
                store.SetEpochDeadlineCallback(_ => created?.onEpoch?.Invoke() ?? 1);
            }
            store.SetLimits(memorySize: memoryLimit, tableElements: (uint)Admission.CompatibilityCheck.MaxTableEntries);
            var wasi = new WasiConfiguration()
                .WithArgs([name, .. args])
                .WithEnvironmentVariables(env.Select(kv => (kv.Key, kv.Value)))
                .WithStandardOutput(stdio.StdoutPath)
                .WithStandardError(stdio.StderrPath);
            foreach (var preopen in preopens)
            {
                wasi.WithPreopenedDirectory(preopen.HostPath, preopen.GuestPath, true);
            }
            store.SetWasiConfiguration(wasi);
            stdio.OpenForReading();
            created = new GuestInstance(store, linker.Instantiate(store, module), stdio);
            return created;
        }
        catch
        {
            store.Dispose();
            stdio.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends the guest's safe points to the workload that runs it from now on (its output: <see cref="Stdio"/>):
    /// <paramref name="yield"/> for continuum.yield, <paramref name="check"/> for the checks inserted into a cooperative module.
    /// </summary>
    public void Connect(Action yield, Action check, Func<ulong>? epoch = null)
    {
        onYield = yield;
        onCheck = check;
        onEpoch = epoch;
    }

    /// <summary>The mutable globals the export rewriter made visible, by export name.</summary>
    public List<(string Name, Global Global)> ExportedGlobals(Module module) =>
        module.Exports.Where(e => e is GlobalExport && e.Name.StartsWith(GlobalExportRewriter.ExportPrefix, StringComparison.Ordinal))
            .Select(e => (e.Name, Instance.GetGlobal(e.Name)!)).ToList();

    public void Dispose()
    {
        Store.Dispose();
        Stdio.Dispose();
    }
}
