using System.Runtime.CompilerServices;
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

    /// <summary>The same with epoch interruption on (<see cref="Create"/> with an engine backstop).</summary>
    public const string BackstopConfigurationFingerprint = "cranelift;opt=speed;epoch=on;fuel=off;branch-hints=on;v1";

    /// <summary>How often a backstop engine's epoch advances: how late past its grace a stuck guest is killed, at most.</summary>
    public static readonly TimeSpan EpochTick = TimeSpan.FromMilliseconds(100);

    private static readonly ConditionalWeakTable<Engine, Timer> Tickers = new();

    /// <summary>
    /// An engine configured for workloads. Stop, checkpoint and CPU-time requests reach running code through the
    /// safe-point flag that instrumentation checks at every loop header and function entry. Epoch interruption is off by
    /// default: on the instrumented kernels it cost 1.57x (docs/benchmarks.md). With <paramref name="epochBackstop"/>
    /// it is on, and the epoch advances every <see cref="EpochTick"/>, so a guest that does not reach a safe point
    /// within <see cref="Execution.WorkloadOptions.EngineBackstop"/> of being told to stop is killed (a node for
    /// untrusted code pays that cost for a guarantee that does not rest on the instrumentation). Branch hints are on:
    /// instrumentation marks every safe-point check unlikely, so Cranelift moves the yield call to a cold block.
    /// </summary>
    /// <param name="warmUp">
    /// Start the process's <see cref="RuntimeWarmUp"/> in the background (once per process): right for anything that
    /// runs, checkpoints or restores workloads; a process that only admits modules can skip it.
    /// </param>
    /// <param name="epochBackstop">Turn epoch interruption on and advance the epoch in the background.</param>
    public static Engine Create(bool warmUp = true, bool epochBackstop = false)
    {
        var engine = new Engine(new Config().WithEpochInterruption(epochBackstop).WithOptimizationLevel(OptimizationLevel.Speed).WithBranchHinting(true));
        if (epochBackstop)
        {
            var weak = new WeakReference<Engine>(engine);
            Timer? ticker = null;
            ticker = new Timer(_ => Tick(weak, ticker), null, EpochTick, EpochTick);
            Tickers.Add(engine, ticker);
        }
        if (warmUp)
        {
            _ = RuntimeWarmUp.Start(engine);
        }
        return engine;
    }

    /// <summary>True for an engine made with the backstop: its stores need an epoch deadline and a callback, or they trap.</summary>
    public static bool HasBackstop(Engine engine) => Tickers.TryGetValue(engine, out _);

    /// <summary>The configuration fingerprint of <paramref name="engine"/>, for the precompiled-module cache key.</summary>
    public static string FingerprintOf(Engine engine) => HasBackstop(engine) ? BackstopConfigurationFingerprint : ConfigurationFingerprint;

    private static void Tick(WeakReference<Engine> weak, Timer? ticker)
    {
        try
        {
            if (weak.TryGetTarget(out var engine))
            {
                engine.IncrementEpoch();
                return;
            }
        }
        catch (ObjectDisposedException)
        {
        }
        // The engine is gone: so is the reason to tick.
        ticker?.Dispose();
    }
}
