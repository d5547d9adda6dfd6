namespace ContinuumControl.Contracts.Agents;

/// <summary>A workload's state as its agent sees it.</summary>
/// <param name="State">"Queued", "Running", "Suspended", "Completed", "Failed" or "Stopped".</param>
/// <param name="ExitCode">Exit code once finished.</param>
/// <param name="Reason">Why it failed (trap, memory limit, ...), in words a user can act on.</param>
public sealed record WorkloadStatusReport(Guid WorkloadId, long Generation, string State, int? ExitCode, string? Reason);
