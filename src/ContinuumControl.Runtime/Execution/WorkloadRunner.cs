using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Checkpoints;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Runs a WASI command module to completion on the calling thread. The engine must come from
/// <see cref="RuntimeEngine.Create"/>. For checkpoints use <see cref="WorkloadInstance"/> directly.
/// </summary>
public sealed class WorkloadRunner(Engine engine, WorkloadOptions? options = null)
{
    /// <summary>Runs <paramref name="spec"/>; <paramref name="stop"/> ends it at its next safe point.</summary>
    public RunOutcome Run(WorkloadSpec spec, IOutputSink output, CancellationToken stop)
    {
        try
        {
            using var instance = new WorkloadInstance(engine, spec, output, options);
            return instance.Run(stop);
        }
        catch (ModuleRejectedException ex)
        {
            return new RunOutcome(null, $"the module cannot run: {ex.Reason}");
        }
        catch (CheckpointRejectedException ex)
        {
            return new RunOutcome(null, ex.Reason);
        }
        catch (WasmtimeException ex)
        {
            return new RunOutcome(null, $"the module failed to compile: {ex.Message.Split('\n')[0]}");
        }
    }
}
