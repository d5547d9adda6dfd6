using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>One workload: why it failed or waits (if it does), Stop, Delete and Pin, its details, its migrations and its live output.</summary>
public sealed partial class WorkloadPanel
{
    private bool _busy;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Parameter, EditorRequired]
    public WorkloadDto Workload { get; set; } = default!;

    /// <summary>Shows a link to the workload's own page (/workloads/{id}).</summary>
    [Parameter]
    public bool ShowOpenLink { get; set; }

    [Parameter]
    public EventCallback OnClose { get; set; }

    /// <summary>Nodes the "Move to" form offers; none hides it.</summary>
    [Parameter]
    public IReadOnlyList<NodeDto> Nodes { get; set; } = [];

    /// <summary>A migration was started from the panel.</summary>
    [Parameter]
    public EventCallback<MigrationDto> OnMigrationStarted { get; set; }

    /// <summary>The workload changed through this panel (pinned or released): as the control plane answered.</summary>
    [Parameter]
    public EventCallback<WorkloadDto> OnChanged { get; set; }

    /// <summary>The workload was deleted through this panel.</summary>
    [Parameter]
    public EventCallback<WorkloadDto> OnDeleted { get; set; }

    /// <summary>Every failure says why: the server's reason, else the exit code.</summary>
    private string FailureText => Workload switch
    {
        { FailureReason: { Length: > 0 } reason } => reason,
        { ExitCode: { } code } => $"it exited with code {code}.",
        _ => "the control plane recorded no reason.",
    };

    /// <summary>Why a workload on a node is not running: its local scheduler holds it.</summary>
    private string? WaitingText => Workload.State switch
    {
        WorkloadState.Queued => $"Queued on {Workload.NodeName ?? "its node"}: every slot is taken; it starts when one frees (higher priorities first).",
        WorkloadState.Suspended => $"Suspended on {Workload.NodeName ?? "its node"}: a higher-priority workload took its slot; it resumes where it paused when a slot frees.",
        _ => null,
    };

    private async Task StopAsync()
    {
        if (await RunAsync(ct => Client.StopAsync(Workload.Id, ct), $"Could not stop {Workload.Name}"))
        {
            Snackbar.Add($"Stop requested for {Workload.Name}.", Severity.Info);
        }
    }

    private async Task DeleteAsync()
    {
        var workload = Workload;
        if (await RunAsync(ct => Client.DeleteAsync(workload.Id, ct), $"Could not delete {workload.Name}"))
        {
            Snackbar.Add($"Deleted {workload.Name}.", Severity.Success);
            await OnDeleted.InvokeAsync(workload);
        }
    }

    private async Task<bool> RunAsync(Func<CancellationToken, Task> action, string failure)
    {
        _busy = true;
        try
        {
            await action(CancellationToken.None);
            return true;
        }
        catch (ControlPlaneException ex)
        {
            Snackbar.Add($"{failure}: {ex.Message}", Severity.Error);
            return false;
        }
        catch (Exception ex)
        {
            Snackbar.Add($"{failure}: {ex.Message}", Severity.Error);
            return false;
        }
        finally
        {
            _busy = false;
        }
    }
}
