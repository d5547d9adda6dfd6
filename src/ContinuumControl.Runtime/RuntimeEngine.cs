using Wasmtime;

namespace ContinuumControl.Runtime;

/// <summary>Creates the Wasmtime engine every part of the runtime shares.</summary>
public static class RuntimeEngine
{
    /// <summary>
    /// Describes the configuration <see cref="Create"/> applies; part of the precompiled-module cache key, because a
    /// module precompiled under another configuration does not load. Change it whenever the configuration changes.
    /// </summary>
    public const string ConfigurationFingerprint = "cranelift;opt=speed;epoch=off;fuel=off;branch-hints=on;v1";

    /// <summary>
    /// An engine configured for workloads. Epoch interruption stays off: on the instrumented kernels it cost 1.57x (docs/benchmarks.md), and stop,
    /// checkpoint and CPU-time requests reach running code through the safe-point flag instead. Branch hints are on:
    /// instrumentation marks every safe-point check unlikely, so Cranelift moves the yield call to a cold block.
    /// </summary>
    /// <param name="warmUp">
    /// Start the process's <see cref="RuntimeWarmUp"/> in the background (once per process): right for anything that
    /// runs, checkpoints or restores workloads; a process that only admits modules can skip it.
    /// </param>
    public static Engine Create(bool warmUp = true)
    {
        var engine = new Engine(new Config().WithEpochInterruption(false).WithOptimizationLevel(OptimizationLevel.Speed).WithBranchHinting(true));
        if (warmUp)
        {
            _ = RuntimeWarmUp.Start(engine);
        }
        return engine;
    }
}
