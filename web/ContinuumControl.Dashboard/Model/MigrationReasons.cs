using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>Every migration that did not complete says why.</summary>
public static class MigrationReasons
{
    public static bool ShowsReason(MigrationDto migration) =>
        migration.Phase is MigrationPhase.Aborted or MigrationPhase.Failed || !string.IsNullOrWhiteSpace(migration.Reason);

    public static string Of(MigrationDto migration) => migration switch
    {
        { Reason: { Length: > 0 } reason } => reason,
        { Phase: MigrationPhase.Aborted } => "Aborted; the control plane recorded no reason. The workload kept running on its source node.",
        { Phase: MigrationPhase.Failed } => "Failed; the control plane recorded no reason.",
        _ => "",
    };
}
