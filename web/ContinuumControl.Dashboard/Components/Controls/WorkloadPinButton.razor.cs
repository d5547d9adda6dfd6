using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// Pins a workload to its node or releases it. The outcome is a snackbar (<c>pin-done</c>, or <c>pin-refused</c> with the
/// control plane's reason); the workload as the control plane answered is raised with <see cref="OnChanged"/>.
/// </summary>
public sealed partial class WorkloadPinButton
{
    private bool _busy;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Parameter, EditorRequired]
    public WorkloadDto Workload { get; set; } = default!;

    [Parameter]
    public EventCallback<WorkloadDto> OnChanged { get; set; }

    private string Hint => Workload switch
    {
        { Pinned: true } => $"Pinned to {Workload.NodeName ?? "its node"}: no policy moves it. Click to let policies move it again.",
        { NodeId: null } => "Only a workload on a node can be pinned.",
        _ => $"Keep it on {Workload.NodeName}: no policy (rebalance, offload, energy) will move it.",
    };

    private async Task ToggleAsync()
    {
        if (_busy)
        {
            return;
        }

        var workload = Workload;
        var pin = !workload.Pinned;
        _busy = true;
        try
        {
            var changed = await Client.PinAsync(workload.Id, pin, CancellationToken.None);
            Feedback.Say(Snackbar, Severity.Success, "pin-done", changed.Pinned
                ? $"Pinned {changed.Name} to {changed.NodeName ?? "its node"}: no policy moves it."
                : $"Unpinned {changed.Name}: policies may move it again.");
            await OnChanged.InvokeAsync(changed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Feedback.Say(Snackbar, Severity.Error, "pin-refused", $"Cannot {(pin ? "pin" : "unpin")} {workload.Name}: {Feedback.Reason(ex)}");
        }
        finally
        {
            _busy = false;
        }
    }
}
