namespace ContinuumControl.Domain.Migrations;

/// <summary>Moving one running workload from a source node to a target node, phase by phase, with what it cost.</summary>
public sealed class Migration
{
    public Guid Id { get; set; }
    public Guid WorkloadId { get; set; }
    public Guid SourceNodeId { get; set; }
    public Guid TargetNodeId { get; set; }

    /// <summary>The placement generation the source runs under; the target runs under the next one.</summary>
    public long SourceGeneration { get; set; }
    public MigrationPhase Phase { get; set; }
    public MigrationTrigger Trigger { get; set; }
    public bool PreCopy { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? PreparingAt { get; set; }
    public DateTimeOffset? CheckpointingAt { get; set; }
    public DateTimeOffset? TransferringAt { get; set; }
    public DateTimeOffset? RestoringAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public double? DowntimeMs { get; set; }
    public long BytesMoved { get; set; }

    public bool IsFinished => Phase.IsFinished;

    public long TargetGeneration => SourceGeneration + 1;

    /// <summary>Moves forward to <paramref name="phase"/>; phases never go back and a finished migration never changes.</summary>
    public bool Enter(MigrationPhase phase, DateTimeOffset now)
    {
        if (IsFinished || phase <= Phase || phase.IsFinished)
        {
            return false;
        }
        Phase = phase;
        switch (phase)
        {
            case MigrationPhase.Preparing: PreparingAt = now; break;
            case MigrationPhase.Checkpointing: CheckpointingAt = now; break;
            case MigrationPhase.Transferring: TransferringAt = now; break;
            case MigrationPhase.Restoring: RestoringAt = now; break;
        }
        return true;
    }

    /// <summary>Ends the migration as Completed, Aborted, Failed or Superseded.</summary>
    public bool Finish(MigrationPhase outcome, string? reason, DateTimeOffset now)
    {
        if (IsFinished || !outcome.IsFinished)
        {
            return false;
        }
        Phase = outcome;
        Reason = reason;
        FinishedAt = now;
        return true;
    }

    public IEnumerable<(MigrationPhase Phase, DateTimeOffset At)> PhaseTimes()
    {
        yield return (MigrationPhase.Requested, RequestedAt);
        foreach (var (phase, at) in new[] { (MigrationPhase.Preparing, PreparingAt), (MigrationPhase.Checkpointing, CheckpointingAt), (MigrationPhase.Transferring, TransferringAt), (MigrationPhase.Restoring, RestoringAt) })
        {
            if (at is { } t)
            {
                yield return (phase, t);
            }
        }
        if (FinishedAt is { } end)
        {
            yield return (Phase, end);
        }
    }
}
