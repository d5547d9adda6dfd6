using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components;

/// <summary>
/// Asks to move a workload, from a drop or the panel's "Move to" form: refuses on the spot when the dashboard can already
/// tell why (<see cref="MigrationPrecheck"/>), else asks the control plane; either way the user reads the outcome in a
/// snackbar (<c>data-testid=migration-refused</c> or <c>migration-started</c>).
/// </summary>
public static class MigrationCommand
{
    /// <returns>The migration in its first phase, or null when it was refused.</returns>
    public static async Task<MigrationDto?> StartAsync(
        IControlPlaneClient client, ISnackbar snackbar, WorkloadDto workload, NodeDto target, MigrationDto? inFlight, CancellationToken cancellationToken)
    {
        var refusals = MigrationPrecheck.Refusals(workload, target, inFlight);
        if (refusals.Count > 0)
        {
            Refused(snackbar, workload, target, string.Join(" ", refusals));
            return null;
        }

        try
        {
            var migration = await client.MigrateAsync(workload.Id, target.Id, cancellationToken);
            Feedback.Say(snackbar, Severity.Info, "migration-started", $"Moving {workload.Name} from {migration.SourceNodeName} to {migration.TargetNodeName}…");
            return migration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Refused(snackbar, workload, target, Feedback.Reason(ex));
        }

        return null;
    }

    private static void Refused(ISnackbar snackbar, WorkloadDto workload, NodeDto target, string reason) =>
        Feedback.Say(snackbar, Severity.Error, "migration-refused", $"Cannot move {workload.Name} to {target.Name}: {reason}");
}
