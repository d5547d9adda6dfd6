using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// One cluster policy with its two actions: pause/resume and run now. The outcome is a snackbar
/// (<c>policy-action-done</c>, or <c>policy-action-refused</c> with the control plane's reason).
/// </summary>
public sealed partial class PolicyRow
{
    private Busy? _busy;

    private enum Busy
    {
        Pausing,
        Resuming,
        Running,
    }

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Parameter, EditorRequired]
    public PolicyDto Policy { get; set; } = default!;

    /// <summary>The policy was paused or resumed: as the control plane answered.</summary>
    [Parameter]
    public EventCallback<PolicyDto> OnChanged { get; set; }

    private string StateText => Policy switch
    {
        { Enabled: false } => "Off",
        { Paused: true } => "Paused",
        _ => "Active",
    };

    private Color StateColor => Policy switch
    {
        { Enabled: false } => Color.Default,
        { Paused: true } => Color.Warning,
        _ => Color.Success,
    };

    private string PauseText => _busy switch
    {
        Busy.Pausing => "Pausing…",
        Busy.Resuming => "Resuming…",
        _ => Policy.Paused ? "Resume" : "Pause",
    };

    private async Task TogglePausedAsync()
    {
        var name = Policy.Name;
        var pause = !Policy.Paused;
        await RunGuardedAsync(pause ? Busy.Pausing : Busy.Resuming, pause ? "pause" : "resume", async () =>
        {
            var changed = await Client.SetPolicyPausedAsync(name, pause, CancellationToken.None);
            Feedback.Say(Snackbar, Severity.Success, "policy-action-done", changed.Paused
                ? $"{name} is paused: it does not run on its schedule until resumed."
                : $"{name} is resumed: it runs on its schedule ({changed.Schedule}).");
            await OnChanged.InvokeAsync(changed);
        });
    }

    private async Task RunAsync()
    {
        var name = Policy.Name;
        await RunGuardedAsync(Busy.Running, "run", async () =>
        {
            await Client.RunPolicyAsync(name, CancellationToken.None);
            Feedback.Say(Snackbar, Severity.Info, "policy-action-done", $"{name} is running now; its result shows under Last result.");
        });
    }

    private async Task RunGuardedAsync(Busy busy, string verb, Func<Task> action)
    {
        if (_busy is not null)
        {
            return;
        }

        _busy = busy;
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Feedback.Say(Snackbar, Severity.Error, "policy-action-refused", $"Cannot {verb} {Policy.Name}: {Feedback.Reason(ex)}");
        }
        finally
        {
            _busy = null;
        }
    }
}
