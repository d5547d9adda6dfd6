using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components;

/// <summary>
/// Asks to move a workload, from a drop or the panel's "Move to" form. The control plane's scheduler decides (an
/// OperatorMove evaluation); the dashboard keeps no copy of its rules. Either way the user reads the outcome in a
/// snackbar (<c>data-testid=migration-refused</c> or <c>migration-started</c>).
/// </summary>
public static class MigrationCommand
{
    /// <returns>The migration in its first phase, or null when it was refused.</returns>
    public static async Task<MigrationDto?> StartAsync(
        IControlPlaneClient client, ISnackbar snackbar, WorkloadDto workload, NodeDto target, CancellationToken cancellationToken)
    {
        try
        {
            var migration = await client.MigrateAsync(workload.Id, target.Id, cancellationToken);
            Feedback.Say(snackbar, Severity.Info, "migration-started", $"Moving {workload.Name} from {migration.SourceNodeName} to {migration.TargetNodeName}…");
            return migration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Feedback.Say(snackbar, Severity.Error, "migration-refused", $"Cannot move {workload.Name} to {target.Name}: {Feedback.Reason(ex)}");
        }

        return null;
    }
}
