namespace ContinuumControl.Runtime.Execution;

/// <summary>How a run ended.</summary>
/// <param name="ExitCode">WASI exit code (0 when _start returned normally).</param>
/// <param name="FailureReason">Why it failed (trap, memory limit, stop), or null on a normal exit.</param>
/// <param name="Stopped">True when the run ended because a stop was requested.</param>
public sealed record RunOutcome(int? ExitCode, string? FailureReason, bool Stopped = false)
{
    public bool Succeeded => FailureReason is null && ExitCode == 0;
}
