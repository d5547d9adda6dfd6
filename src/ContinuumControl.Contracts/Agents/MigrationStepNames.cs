namespace ContinuumControl.Contracts.Agents;

/// <summary>
/// The moments of a migration's pause, in order from the source's pause request to the target's resume. Each step of
/// the downtime breakdown is named by the moment that ends it and lasts from the moment before it. The agents report
/// theirs with <see cref="MigrationReport.Steps"/>; the control plane adds its own.
/// </summary>
public static class MigrationStepNames
{
    /// <summary>Source: the pause was asked for (waiting for the instance and for a periodic checkpoint counts too).</summary>
    public const string SourceRequested = "src.requested";

    /// <summary>Source: the workload reached a safe point and stopped; the downtime starts.</summary>
    public const string SourcePaused = "src.paused";

    /// <summary>Source: memory and globals captured.</summary>
    public const string SourceCaptured = "src.captured";

    /// <summary>Source: changed chunks hashed and compressed, uploads queued.</summary>
    public const string SourceHashed = "src.hashed";

    /// <summary>Source: the last batch uploaded or taken inline.</summary>
    public const string SourceWritten = "src.written";

    /// <summary>Source: output flushed, the Checkpointed report queued.</summary>
    public const string SourceReported = "src.reported";

    /// <summary>Control plane: the Checkpointed report reached the migration's run.</summary>
    public const string ServerCheckpointed = "srv.checkpointed";

    /// <summary>Control plane: RestoreWorkload sent to the target.</summary>
    public const string ServerRestoreSent = "srv.restoreSent";

    /// <summary>Target: the restore command arrived.</summary>
    public const string TargetRestoreCommand = "tgt.restoreCmd";

    /// <summary>Target: the chunks it lacked are fetched.</summary>
    public const string TargetFetched = "tgt.fetched";

    /// <summary>Target: chunks read and verified, module loaded.</summary>
    public const string TargetLoaded = "tgt.loaded";

    /// <summary>Target: the workload runs again; the downtime ends.</summary>
    public const string TargetResumed = "tgt.resumed";

    /// <summary>Every moment in order.</summary>
    public static readonly IReadOnlyList<string> InOrder =
    [
        SourceRequested, SourcePaused, SourceCaptured, SourceHashed, SourceWritten, SourceReported,
        ServerCheckpointed, ServerRestoreSent,
        TargetRestoreCommand, TargetFetched, TargetLoaded, TargetResumed,
    ];
}
