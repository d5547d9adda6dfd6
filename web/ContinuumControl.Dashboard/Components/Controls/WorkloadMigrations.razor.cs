using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// A workload's migrations, newest first, following live (loaded with <see cref="IControlPlaneClient.GetMigrationsAsync"/>,
/// then every <see cref="ClusterChangeKind.MigrationUpserted"/> of this workload), with a "Move to" form while it runs.
/// </summary>
public sealed partial class WorkloadMigrations : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly MigrationHistory _history = new();
    private Guid _watching;
    private Task _watch = Task.CompletedTask;
    private RenderCoalescer _renders = default!;
    private bool _loaded;
    private bool _busy;
    private string? _error;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Parameter, EditorRequired]
    public WorkloadDto Workload { get; set; } = default!;

    /// <summary>Nodes it may move to; without any the "Move to" form is hidden.</summary>
    [Parameter]
    public IReadOnlyList<NodeDto> Nodes { get; set; } = [];

    /// <summary>A migration was started from this section.</summary>
    [Parameter]
    public EventCallback<MigrationDto> OnStarted { get; set; }

    protected override void OnInitialized() =>
        _renders = new RenderCoalescer(InvokeAsync, StateHasChanged, Time, PoolPage.RenderInterval);

    protected override void OnParametersSet()
    {
        // One section follows one workload; the panel is keyed by workload.
        if (_watching == Workload.Id || !RendererInfo.IsInteractive)
        {
            return;
        }

        _watching = Workload.Id;
        _watch = ClusterWatch.RunAsync(Client, LoadAsync, ApplyAsync, ReportAsync, Time, _cts.Token);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var migrations = await Client.GetMigrationsAsync(_watching, cancellationToken);
        await InvokeAsync(() =>
        {
            _history.Load(migrations.Where(m => m.WorkloadId == _watching));
            _loaded = true;
            StateHasChanged();
        });
    }

    private Task ApplyAsync(ClusterChange change) => InvokeAsync(() =>
    {
        if (change is { Kind: ClusterChangeKind.MigrationUpserted, Migration: { } migration }
            && migration.WorkloadId == _watching
            && _history.Upsert(migration))
        {
            _renders.Request(_cts.Token);
        }
    });

    private Task ReportAsync(Exception? error) => InvokeAsync(() =>
    {
        if (_error != error?.Message)
        {
            _error = error?.Message;
            StateHasChanged();
        }
    });

    private async Task MigrateAsync(NodeDto target)
    {
        _busy = true;
        try
        {
            var migration = await MigrationCommand.StartAsync(Client, Snackbar, Workload, target, _cts.Token);
            if (migration is not null)
            {
                _history.Upsert(migration);
                await OnStarted.InvokeAsync(migration);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
        }

        _cts.Dispose();
    }
}
