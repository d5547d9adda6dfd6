namespace ContinuumControl.Dashboard.Model;

/// <summary>How far along its way to Completed a migration is, for a progress bar.</summary>
public static class PhaseProgress
{
    private static readonly MigrationPhase[] Path =
        [MigrationPhase.Requested, MigrationPhase.Preparing, MigrationPhase.Checkpointing, MigrationPhase.Transferring, MigrationPhase.Restoring, MigrationPhase.Completed];

    /// <summary>0..100 along the phases a successful migration passes; 100 for any finished phase.</summary>
    public static double Of(MigrationPhase phase)
    {
        var index = Array.IndexOf(Path, phase);
        return phase.IsFinished || index < 0 ? 100 : 100.0 * index / (Path.Length - 1);
    }
}
