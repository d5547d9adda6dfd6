namespace ContinuumControl.Server.Migrations;

/// <summary>A migration cannot go on; the reason is shown to the user as is.</summary>
/// <param name="reportedBy">The node whose Failed report ended it, when one did (a source that no longer runs the workload may have just finished it).</param>
public sealed class MigrationAbortedException(string reason, Guid? reportedBy = null) : Exception(reason)
{
    public Guid? ReportedBy { get; } = reportedBy;
}
