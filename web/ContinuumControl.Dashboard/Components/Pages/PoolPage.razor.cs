using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Pages;

/// <summary>
/// The resource pool: Edge and Cloud nodes with the workloads on them, live. Loads a snapshot, then applies the change
/// stream (see <see cref="ClusterWatch"/>) until the page goes away. Bursts of changes (every agent's heartbeat) are
/// rendered together at most every <see cref="RenderInterval"/>.
/// </summary>
public partial class PoolPage : IAsyncDisposable
{
    /// <summary>Longest a change waits before it is shown; changes arriving meanwhile share one render.</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often "heartbeat 5 s ago" is brought up to date when nothing else changes.</summary>
    public static readonly TimeSpan ClockInterval = TimeSpan.FromSeconds(5);

    private readonly ClusterState _state = new();
    private readonly CancellationTokenSource _cts = new();
    private Task _watch = Task.CompletedTask;
    private ITimer? _clock;
    private RenderCoalescer _renders = default!;
    private bool _loaded;
    private bool _interactive;
    private string? _watchError;
    private Guid? _selectedId;
    private WorkloadDto? _dragged;
    // Until the policy answers, offer nothing: a read-only user never sees a Deploy button flash up.
    private bool _readOnly = true;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required IDialogService DialogService { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private const string ClearDropHint = "for (const e of this.querySelectorAll('.cc-drop-over')) e.classList.remove('cc-drop-over')";

    private WorkloadDto? Selected => _selectedId is { } id ? _state.FindWorkload(id) : null;

    private string Summary
    {
        get
        {
            var nodes = _state.Nodes.ToList();
            var running = _state.Workloads.Count(w => w.State == WorkloadState.Running);
            return $"{nodes.Count(n => n.State == NodeState.Ready)} of {nodes.Count} nodes ready · {running} {(running == 1 ? "workload" : "workloads")} running";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _renders = new RenderCoalescer(InvokeAsync, StateHasChanged, Time, RenderInterval);
        _readOnly = !await DashboardPolicies.MayChangeAsync(AuthenticationState, Authorization);
        if (RendererInfo.IsInteractive)
        {
            _watch = ClusterWatch.RunAsync(Client, LoadAsync, ApplyAsync, ReportAsync, Time, _cts.Token);
            _clock = Time.CreateTimer(_ => InvokeAsync(StateHasChanged), null, ClockInterval, ClockInterval);
            return;
        }

        // Prerendering: show the pool at once; the interactive circuit then starts watching.
        try
        {
            await LoadAsync(_cts.Token);
        }
        catch (Exception ex)
        {
            _watchError = ex.Message;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            // Test hook: event handlers are attached once this is true.
            _interactive = true;
            await InvokeAsync(StateHasChanged);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await Client.GetSnapshotAsync(cancellationToken);
        await InvokeAsync(() =>
        {
            _state.Load(snapshot);
            _loaded = true;
            StateHasChanged();
        });
    }

    private Task ApplyAsync(ClusterChange change) => InvokeAsync(() =>
    {
        if (_state.Apply(change))
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

    private IReadOnlyList<WorkloadDto> WorkloadsOf(NodeDto node) => _state.WorkloadsOn(node.Id).ToList();

    private void Select(WorkloadDto workload) => _selectedId = _selectedId == workload.Id ? null : workload.Id;

    private void ClosePanel() => _selectedId = null;

    private MigrationDto? MigrationOf(WorkloadDto workload) => _state.Migrations.Latest(workload.Id);

    private void DragStart(WorkloadDto workload) => _dragged = workload;

    // A drag dropped outside any node leaves nothing behind for the next drop.
    private void DragEnd(WorkloadDto workload) => _dragged = null;

    private async Task DropAsync(NodeDto node)
    {
        if (_dragged is not { } dragged)
        {
            return;
        }

        _dragged = null;
        // Judge the move on the latest state, not the one captured when the drag began.
        var workload = _state.FindWorkload(dragged.Id) ?? dragged;
        var target = _state.FindNode(node.Id) ?? node;
        await OnWorkloadDroppedAsync(workload, target);
    }

    /// <summary>
    /// A workload card was dropped on a node: ask the control plane to migrate it (its scheduler accepts or says why not);
    /// the card then follows the migration live.
    /// </summary>
    protected virtual async Task OnWorkloadDroppedAsync(WorkloadDto workload, NodeDto target)
    {
        var migration = await MigrationCommand.StartAsync(Client, Snackbar, workload, target, _cts.Token);
        if (migration is not null)
        {
            MigrationStarted(migration);
        }
    }

    // The change stream may already have brought a later phase of it; the history keeps whichever got further.
    private void MigrationStarted(MigrationDto migration) => _state.Migrations.Upsert(migration);

    // An operator's action answered: show it now; the change stream brings the same (or later) state too.
    private void NodeChanged(NodeDto node) => _state.Apply(new ClusterChange(ClusterChangeKind.NodeUpserted, Node: node));

    private void WorkloadChanged(WorkloadDto workload) => _state.Apply(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: workload));

    private async Task OpenDeployAsync()
    {
        var parameters = new DialogParameters<DeployDialog> { { d => d.Modules, _state.Modules } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true };
        var dialog = await DialogService.ShowAsync<DeployDialog>("Deploy a workload", parameters, options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: WorkloadDto workload })
        {
            // The change stream may already have brought a newer state of it.
            if (_state.FindWorkload(workload.Id) is null)
            {
                _state.Apply(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: workload));
            }

            _selectedId = workload.Id;
            var where = workload.NodeName is { } node ? $" on {node}" : "";
            Snackbar.Add($"Deployed {workload.Name}{where}.", Severity.Success);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_clock is not null)
        {
            await _clock.DisposeAsync();
        }

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
