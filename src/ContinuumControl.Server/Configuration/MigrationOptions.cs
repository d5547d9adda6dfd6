namespace ContinuumControl.Server.Configuration;

/// <summary>Timeouts of each migration phase (section "Migration"); a phase that overruns aborts the migration and the source resumes.</summary>
public sealed class MigrationOptions
{
    public const string Section = "Migration";

    public int PrepareTimeoutSeconds { get; set; } = 60;

    public int CheckpointTimeoutSeconds { get; set; } = 60;

    public int TransferTimeoutSeconds { get; set; } = 60;

    public int RestoreTimeoutSeconds { get; set; } = 60;

    /// <summary>Copy memory while the workload runs before the final stop-and-copy, unless a request says otherwise.</summary>
    public bool PreCopyByDefault { get; set; } = true;
}
