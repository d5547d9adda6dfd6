namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// The engine-level backstop (on an engine made with <see cref="RuntimeEngine.Create"/>'s epoch backstop): a guest
/// that was told to stop, or passed a limit, and reaches no safe point within <see cref="WorkloadOptions.EngineBackstop"/>
/// is killed by the engine, whatever its code does. Instrumentation puts a safe point in every loop and call path, so
/// this is for what it cannot see coming; the run's outcome says that it happened.
/// </summary>
public sealed partial class WorkloadInstance
{
    /// <summary>On the workload's thread at every epoch tick: one more tick, or the end of the run.</summary>
    private ulong OnEpochDeadline()
    {
        if (options.EngineBackstop is { } grace && signal.MustEndWaiting is { } waited && waited > grace)
        {
            throw new SafePointOverdueException(grace, signal.Peek());
        }
        return 1;
    }
}

/// <summary>Thrown from the epoch callback to end a guest that did not reach a safe point in time.</summary>
internal sealed class SafePointOverdueException(TimeSpan grace, SafePointReason reasons)
    : Exception($"did not reach a safe point within {grace.TotalSeconds:0.###} s of being told to {What(reasons)}; killed by the engine backstop")
{
    /// <summary>It was told to stop (the outcome is a stop), not only held to a limit.</summary>
    public bool WasStopped { get; } = reasons.HasFlag(SafePointReason.Stop);

    private static string What(SafePointReason reasons) =>
        reasons.HasFlag(SafePointReason.Stop) ? "stop"
        : reasons.HasFlag(SafePointReason.WallClock) ? "end at its wall-clock limit"
        : "check its CPU-time limit";
}
