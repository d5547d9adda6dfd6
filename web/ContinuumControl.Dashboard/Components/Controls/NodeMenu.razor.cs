using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// An operator's control of one node: cordon, drain, uncordon. The outcome is a snackbar (<c>node-action-done</c>, or
/// <c>node-action-refused</c> with the control plane's reason); the node as the control plane answered is raised with
/// <see cref="OnChanged"/> so the card shows its new state before the change stream brings it.
/// </summary>
public sealed partial class NodeMenu
{
    private bool _busy;
    private bool _menuRendered;
    private bool _openWhenRendered;
    private MudMenu? _menu;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Parameter, EditorRequired]
    public NodeDto Node { get; set; } = default!;

    [Parameter]
    public EventCallback<NodeDto> OnChanged { get; set; }

    private void RenderMenu()
    {
        _menuRendered = true;
        _openWhenRendered = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_openWhenRendered && _menu is not null)
        {
            _openWhenRendered = false;
            await _menu.OpenMenuAsync(EventArgs.Empty);
        }
    }

    private async Task RunAsync(NodeAction action)
    {
        if (_busy)
        {
            return;
        }

        var node = Node;
        _busy = true;
        try
        {
            var changed = action switch
            {
                NodeAction.Cordon => await Client.CordonAsync(node.Id, CancellationToken.None),
                NodeAction.Drain => await Client.DrainAsync(node.Id, CancellationToken.None),
                _ => await Client.UncordonAsync(node.Id, CancellationToken.None),
            };
            Feedback.Say(Snackbar, Severity.Success, "node-action-done", NodeActions.Done(action, changed.Name));
            await OnChanged.InvokeAsync(changed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Feedback.Say(Snackbar, Severity.Error, "node-action-refused", $"Cannot {NodeActions.Verb(action)} {node.Name}: {Feedback.Reason(ex)}");
        }
        finally
        {
            _busy = false;
        }
    }
}
