namespace ContinuumControl.Dashboard.Model;

/// <summary>The phases of a migration as the API spells them, in the order a successful one passes them.</summary>
public static class MigrationPhases
{
    public const string Requested = "Requested";
    public const string Preparing = "Preparing";
    public const string Checkpointing = "Checkpointing";
    public const string Transferring = "Transferring";
    public const string Restoring = "Restoring";
    public const string Completed = "Completed";
    public const string Aborted = "Aborted";
    public const string Failed = "Failed";

    /// <summary>The workload finished before it could move: nothing was moved, nothing lost.</summary>
    public const string Superseded = "Superseded";

    private static readonly string[] Path = [Requested, Preparing, Checkpointing, Transferring, Restoring, Completed];

    /// <summary>How far along the way to Completed <paramref name="phase"/> is, 0..100; 100 for any finished phase.</summary>
    public static double Progress(string phase)
    {
        var index = Array.IndexOf(Path, phase);
        return index < 0 ? 100 : 100.0 * index / (Path.Length - 1);
    }
}
