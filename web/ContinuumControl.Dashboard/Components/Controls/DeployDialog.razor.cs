using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>Deploys an uploaded module. Closes with the created <see cref="WorkloadDto"/>; a refusal stays open and says why.</summary>
public sealed partial class DeployDialog
{
    private readonly DeployInput _input = new();
    private IReadOnlyList<ModuleDto> _modules = [];
    private IReadOnlyList<string> _errors = [];
    private bool _busy;

    [CascadingParameter]
    public IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    /// <summary>Modules the caller already knows; the dialog refreshes them from a new snapshot when it opens.</summary>
    [Parameter]
    public IReadOnlyList<ModuleDto> Modules { get; set; } = [];

    protected override async Task OnInitializedAsync()
    {
        SetModules(Modules);
        try
        {
            var snapshot = await Client.GetSnapshotAsync(CancellationToken.None);
            SetModules(snapshot.Modules);
        }
        catch (Exception ex)
        {
            _errors = [$"Could not load the module list: {ex.Message}"];
        }
    }

    private void SetModules(IReadOnlyList<ModuleDto> modules)
    {
        _modules = [.. modules.OrderByDescending(m => m.UploadedAt)];
        if (_input.ModuleHash is null || _modules.All(m => m.Hash != _input.ModuleHash))
        {
            _input.ModuleHash = _modules.Count > 0 ? _modules[0].Hash : null;
        }
    }

    private string ModuleText(string? hash) =>
        _modules.FirstOrDefault(m => m.Hash == hash) is { } module
            ? $"{module.Name} · {DisplayFormat.ShortHash(module.Hash)} · {DisplayFormat.Bytes(module.SizeBytes)}"
            : hash ?? "";

    private static string ClassText(NodeClass? nodeClass) => nodeClass?.ToString() ?? "Any";

    private async Task SubmitAsync()
    {
        if (!_input.TryCreateRequest(out var request, out var errors))
        {
            _errors = errors;
            return;
        }

        _busy = true;
        _errors = [];
        try
        {
            var workload = await Client.DeployAsync(request, CancellationToken.None);
            Dialog.Close(DialogResult.Ok(workload));
        }
        catch (ControlPlaneException ex)
        {
            _errors = [ex.Message];
        }
        catch (Exception ex)
        {
            _errors = [$"The deploy did not go through: {ex.Message}"];
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
