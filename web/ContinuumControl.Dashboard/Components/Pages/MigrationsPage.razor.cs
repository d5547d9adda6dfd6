using System.Globalization;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;

namespace ContinuumControl.Dashboard.Components.Pages;

/// <summary>The cluster's recent migrations, live: downtime plotted per migration, and a table that says why any did not complete.</summary>
public partial class MigrationsPage : IAsyncDisposable
{
    private readonly MigrationHistory _history = new();
    private readonly CancellationTokenSource _cts = new();
    private Task _watch = Task.CompletedTask;
    private RenderCoalescer _renders = default!;
    private bool _loaded;
    private bool _interactive;
    private string? _watchError;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    private string Summary
    {
        get
        {
            var all = _history.Newest.ToList();
            var downtimes = all.Where(m => m.DowntimeMs is not null).Select(m => m.DowntimeMs!.Value).Order().ToList();
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{all.Count} listed · {all.Count(m => !m.IsFinished)} in flight · {Count(all, MigrationPhase.Completed)} completed · {Count(all, MigrationPhase.Aborted)} aborted · {Count(all, MigrationPhase.Failed)} failed");
            return downtimes.Count == 0
                ? text
                : $"{text} · downtime median {DisplayFormat.Milliseconds(downtimes[downtimes.Count / 2])}, max {DisplayFormat.Milliseconds(downtimes[^1])}";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _renders = new RenderCoalescer(InvokeAsync, StateHasChanged, Time, PoolPage.RenderInterval);
        if (RendererInfo.IsInteractive)
        {
            _watch = ClusterWatch.RunAsync(Client, LoadAsync, ApplyAsync, ReportAsync, Time, _cts.Token);
            return;
        }

        try
        {
            await LoadAsync(_cts.Token);
        }
        catch (Exception ex)
        {
            _watchError = ex.Message;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // Test hook: event handlers are attached once this is true.
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var migrations = await Client.GetMigrationsAsync(null, cancellationToken);
        await InvokeAsync(() =>
        {
            _history.Load(migrations);
            _loaded = true;
            StateHasChanged();
        });
    }

    private Task ApplyAsync(ClusterChange change) => InvokeAsync(() =>
    {
        if (change is { Kind: ClusterChangeKind.MigrationUpserted, Migration: { } migration } && _history.Upsert(migration))
        {
            _renders.Request(_cts.Token);
        }
    });

    private Task ReportAsync(Exception? error) => InvokeAsync(() =>
    {
        if (_watchError != error?.Message)
        {
            _watchError = error?.Message;
            StateHasChanged();
        }
    });

    private static int Count(List<MigrationDto> migrations, MigrationPhase phase) => migrations.Count(m => m.Phase == phase);

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
        GC.SuppressFinalize(this);
    }
}
