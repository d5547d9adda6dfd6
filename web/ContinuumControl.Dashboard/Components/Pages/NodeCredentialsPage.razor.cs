using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Pages;

/// <summary>
/// Lists node credentials (read on demand: they change only by these actions and registrations) with Rotate and Revoke.
/// Outcomes are snackbars (<c>credential-done</c>, or <c>credential-refused</c> with the control plane's reason).
/// </summary>
public sealed partial class NodeCredentialsPage
{
    private IReadOnlyList<NodeCredentialDto>? _credentials;
    private string? _error;
    private bool _busy;
    private Guid? _confirming;

    [Inject]
    public required INodeCredentialsClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            if (!await Client.IsAllowedAsync(CancellationToken.None))
            {
                _error = "Node credentials need a token with the admin scope; sign in with one.";
                return;
            }
            _credentials = await Client.ListAsync(CancellationToken.None);
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"Cannot list node credentials: {Feedback.Reason(ex)}";
        }
    }

    private Task RotateAsync(NodeCredentialDto credential) =>
        RunAsync(async () =>
        {
            await Client.RotateAsync(credential.NodeId, CancellationToken.None);
            return $"Rotated the credential of {credential.NodeName}; its agent saved the new one.";
        }, $"rotate the credential of {credential.NodeName}");

    private Task RevokeAsync(NodeCredentialDto credential) =>
        RunAsync(async () =>
        {
            await Client.RevokeAsync(credential.NodeId, CancellationToken.None);
            return $"Revoked the credential of {credential.NodeName}; it is disconnected.";
        }, $"revoke the credential of {credential.NodeName}");

    private async Task RunAsync(Func<Task<string>> action, string what)
    {
        if (_busy)
        {
            return;
        }
        _busy = true;
        _confirming = null;
        try
        {
            Feedback.Say(Snackbar, Severity.Success, "credential-done", await action());
            await LoadAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Feedback.Say(Snackbar, Severity.Error, "credential-refused", $"Cannot {what}: {Feedback.Reason(ex)}");
        }
        finally
        {
            _busy = false;
        }
    }
}
