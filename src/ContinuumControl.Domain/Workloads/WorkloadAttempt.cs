namespace ContinuumControl.Domain.Workloads;

/// <summary>One run of a workload: its first start, or a recovery or restart after a run ended without finishing.</summary>
/// <param name="Number">1 for the first run, counting up.</param>
/// <param name="NodeId">The node the run was placed on.</param>
/// <param name="StartedAt">When the run was placed.</param>
/// <param name="EndedAt">When it ended; null while it is the current run.</param>
/// <param name="EndReason">Why it ended (completed, failed with ..., lost with its node, ...).</param>
/// <param name="FromCheckpoint">Whether the run resumed from a checkpoint rather than starting from the beginning.</param>
public sealed record WorkloadAttempt(int Number, Guid? NodeId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt = null, string? EndReason = null, bool FromCheckpoint = false);
