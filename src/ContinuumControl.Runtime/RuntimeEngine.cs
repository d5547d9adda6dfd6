using Wasmtime;

namespace ContinuumControl.Runtime;

/// <summary>Creates the Wasmtime engine every part of the runtime shares.</summary>
public static class RuntimeEngine
{
    /// <summary>An engine configured for workloads: epoch interruption so that a stop request reaches running code.</summary>
    public static Engine Create() => new(new Config().WithEpochInterruption(true));
}
