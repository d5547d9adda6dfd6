using System.Reflection;
using System.Runtime.CompilerServices;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// First-use costs of the pause and restore paths, paid before they are needed (see also <see cref="RuntimeWarmUp"/>):
/// a pause or restore that compiles code on its way takes milliseconds longer than its target allows.
/// </summary>
public sealed partial class WorkloadInstance
{
    private static readonly Lazy<bool> PausePathCompiled = new(PreparePausePath);

    /// <summary>Before a fresh instance's guest starts: compiles and runs once what its first checkpoint's pause will run.</summary>
    private void WarmPausePath()
    {
        CompilePausePath();
        WarmUnwindPath();
        WarmCapturePath();
    }

    /// <summary>Compiles the pause path (once per process; <see cref="RuntimeWarmUp"/> does it in the background early on).</summary>
    internal static void CompilePausePath() => _ = PausePathCompiled.Value;

    /// <summary>
    /// Compiles the methods that run while a workload is frozen for a checkpoint (and the restore's state setter).
    /// Compiled on first call they took 1.5 ms of a 1 MiB workload's first pause (2 ms target): taking the safe-point
    /// signal, borrowing memory for the Asyncify buffer, entering the capture.
    /// </summary>
    private static bool PreparePausePath()
    {
        const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic
            | BindingFlags.DeclaredOnly;
        foreach (var (type, name) in new[]
        {
            (typeof(WorkloadInstance), nameof(RequestCheckpoint)),
            (typeof(WorkloadInstance), nameof(OnYield)),
            (typeof(WorkloadInstance), nameof(BeginUnwind)),
            (typeof(WorkloadInstance), nameof(TakeUnwoundStack)),
            (typeof(WorkloadInstance), nameof(BeginRewind)),
            (typeof(WorkloadInstance), nameof(EndRewind)),
            (typeof(CallStackScratch), nameof(CallStackScratch.BeginUnwind)),
            (typeof(CallStackScratch), nameof(CallStackScratch.EndUnwind)),
            (typeof(CallStackScratch), nameof(CallStackScratch.BeginRewind)),
            (typeof(CallStackScratch), nameof(CallStackScratch.EndRewind)),
            (typeof(WorkloadInstance), nameof(CheckpointAndWait)),
            (typeof(WorkloadInstance), nameof(Capture)),
            (typeof(WorkloadInstance), nameof(CpuUsed)),
            (typeof(WorkloadInstance), nameof(ApplyRestore)),
            (typeof(SafePointSignal), nameof(SafePointSignal.Raise)),
            (typeof(SafePointSignal), nameof(SafePointSignal.Take)),
        })
        {
            foreach (var method in type.GetMethods(Declared).Where(m => m.Name == name && !m.IsGenericMethodDefinition))
            {
                Prepare(method);
            }
        }
        foreach (var constructor in typeof(CheckpointRequest).GetConstructors())
        {
            Prepare(constructor);
        }
        return true;
    }

    /// <summary>Compiles one method now; one that cannot be compiled ahead is simply compiled on first call.</summary>
    private static void Prepare(MethodBase method)
    {
        try
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            // Not a reason to fail a workload: the method is compiled on its first call instead.
        }
    }

    /// <summary>
    /// Reads each global of a small module and writes it back, through the code a capture and a restore use (about
    /// 1 ms of a process's first restore was compiling Wasmtime's value conversions for the globals).
    /// </summary>
    internal static void WarmGlobals(Engine engine, string wat)
    {
        using var module = Wasmtime.Module.FromText(engine, "warm-up", wat);
        using var store = new Store(engine);
        var instance = new Instance(store, module);
        foreach (var name in new[] { "i32", "i64", "f32", "f64" })
        {
            var global = instance.GetGlobal(name)!;
            WriteGlobal(global, ReadGlobal(name, global));
        }
        var memory = instance.GetMemory("memory")!;
        _ = memory.Grow(0);
        _ = memory.GetPointer();
    }

    /// <summary>
    /// Runs the read-only half of a capture once per fresh instance: the first call of each step (JIT, interop stubs,
    /// the parallel loop's worker start-up) cost 6 ms at 1 MiB and 8 ms at 64 MiB, all of it while the workload was
    /// frozen for its first checkpoint. Here the compiling happens once per process, and later instances spend
    /// microseconds.
    /// </summary>
    private void WarmCapturePath()
    {
        var mem = memory!;
        if (mem.GetSize() > 0)
        {
            PageCapture.Warm(mem.GetPointer());
        }
        _ = CaptureGlobals();
        _ = CaptureWasi();
    }

    /// <summary>
    /// Unwinds once with no frames before the guest runs (asyncify_start_unwind at once followed by asyncify_stop_unwind),
    /// borrowing and giving back the top of memory as a real unwind does: no guest code runs in between, so the guest
    /// sees no change, and the first real unwind does not pay for the calls' first use.
    /// </summary>
    private void WarmUnwindPath()
    {
        var mem = memory!;
        if (mem.GetSize() == 0)
        {
            return;
        }
        BeginUnwind();
        stopUnwind!();
        _ = asyncifyState!();
        TakeUnwoundStack();
    }
}
