using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;

namespace ContinuumControl.Dashboard.Components.Pages;

/// <summary>
/// The control plane's own decisions, live: the cluster policies (pause, resume, run now), the evaluations the scheduler
/// has pending and recently planned (with "why not this node" for every refusal), and the migrations drains and policies
/// started. Loads the pool snapshot (names, migrations), the policies and the evaluations, then follows
/// <see cref="ClusterChangeKind.PolicyUpserted"/>, <see cref="ClusterChangeKind.EvaluationUpserted"/> and
/// <see cref="ClusterChangeKind.MigrationUpserted"/>.
/// </summary>
public partial class OrchestrationPage : IAsyncDisposable
{
    private readonly OrchestrationState _state = new();
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
            var policies = _state.Policies.ToList();
            var pending = _state.Evaluations.Pending.Count();
            return $"{policies.Count(p => p.Enabled && !p.Paused)} of {policies.Count} policies active · {policies.Count(p => p.Paused)} paused · "
                + $"{pending} {(pending == 1 ? "evaluation" : "evaluations")} pending";
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
        var snapshot = await Client.GetSnapshotAsync(cancellationToken);
        var policies = await Client.GetPoliciesAsync(cancellationToken);
        var evaluations = await Client.GetEvaluationsAsync(cancellationToken);
        await InvokeAsync(() =>
        {
            _state.Load(snapshot, policies, evaluations);
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

    // The answer to a pause or resume; the change stream brings the same state too.
    private void PolicyChanged(PolicyDto policy) => _state.Upsert(policy);

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
