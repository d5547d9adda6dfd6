using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>Runs a WASI command module to completion on the calling thread. The engine must come from <see cref="RuntimeEngine.Create"/>.</summary>
public sealed class WorkloadRunner(Engine engine)
{
    /// <summary>Runs <paramref name="spec"/>; <paramref name="stop"/> interrupts it at the next epoch tick.</summary>
    public RunOutcome Run(WorkloadSpec spec, IOutputSink output, CancellationToken stop)
    {
        using var module = Module.FromBytes(engine, spec.Name, spec.ModuleBytes);
        using var linker = new Linker(engine);
        using var store = new Store(engine);
        linker.DefineWasi();
        linker.DefineFunction("continuum", "yield", () => { });
        store.SetLimits(memorySize: spec.MemoryLimitBytes);
        store.SetWasiConfiguration(new WasiConfiguration()
            .WithArgs([spec.Name, .. spec.Args])
            .WithEnvironmentVariables(spec.Env.Select(kv => (kv.Key, kv.Value)))
            .WithStandardOutputCallback(data => output.Write(false, data))
            .WithStandardErrorCallback(data => output.Write(true, data)));
        store.SetEpochDeadline(1);
        // Stop requests bump the engine's epoch; the callback ends this store only when its own token was cancelled.
        store.SetEpochDeadlineCallback(_ => stop.IsCancellationRequested ? throw new OperationCanceledException("stopped") : 1UL);
        using var stopRegistration = stop.Register(engine.IncrementEpoch);
        try
        {
            var instance = linker.Instantiate(store, module);
            var start = instance.GetAction("_start")
                ?? throw new InvalidOperationException("the module exports no _start function");
            start();
            return new RunOutcome(0, null);
        }
        catch (WasmtimeException ex) when (ex.ExitCode is int code)
        {
            return new RunOutcome(code, code == 0 ? null : $"exited with code {code}");
        }
        catch (WasmtimeException) when (stop.IsCancellationRequested)
        {
            return new RunOutcome(null, "stopped on request", Stopped: true);
        }
        catch (TrapException ex)
        {
            return new RunOutcome(null, DescribeTrap(ex, spec.MemoryLimitBytes));
        }
        catch (WasmtimeException ex)
        {
            return new RunOutcome(null, $"the module failed to start: {ex.Message.Split('\n')[0]}");
        }
    }

    private static string DescribeTrap(TrapException ex, long limit)
    {
        var first = ex.Message.Split('\n')[0];
        return ex.Type switch
        {
            TrapCode.MemoryOutOfBounds => $"trapped: out-of-bounds memory access ({first}); if the program ran out of memory, its limit is {limit / (1024 * 1024)} MiB",
            TrapCode.Unreachable => $"trapped: unreachable instruction executed (the program aborted or hit a bug): {first}",
            _ => $"trapped: {first}",
        };
    }
}
