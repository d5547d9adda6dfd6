namespace ContinuumControl.Runtime.Execution;

/// <summary>How a run ended.</summary>
/// <param name="ExitCode">WASI exit code (0 when _start returned normally).</param>
/// <param name="FailureReason">Why it failed (trap, memory limit, CPU-time limit, stop), or null on a normal exit.</param>
/// <param name="Stopped">True when the run ended because a stop was requested (or it was discarded after a checkpoint).</param>
/// <param name="Discarded">True when the run ended paused at a checkpoint and was discarded (its state lives on elsewhere).</param>
public sealed record RunOutcome(int? ExitCode, string? FailureReason, bool Stopped = false, bool Discarded = false)
{
    public bool Succeeded => FailureReason is null && ExitCode == 0;
}
