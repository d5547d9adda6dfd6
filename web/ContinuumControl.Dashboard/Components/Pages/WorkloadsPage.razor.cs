using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ContinuumControl.Dashboard.Components.Pages;

/// <summary>
/// Every workload, finished ones included, a page at a time: filters (state, node, created, search) and the sort go to
/// the control plane (<see cref="IControlPlaneClient.QueryWorkloadsAsync"/>), which loads one page, never the table.
/// The node and state filters can come from the address (<c>/workloads?node=…&amp;state=…</c>), as node cards link.
/// </summary>
public partial class WorkloadsPage
{
    public const int PageSize = 25;

    /// <summary>How far back the "Created" filter looks.</summary>
    public enum CreatedRange
    {
        Any,
        LastHour,
        LastDay,
        LastWeek,
    }

    private MudDataGrid<WorkloadDto>? _grid;
    private IReadOnlyList<NodeDto> _nodes = [];
    private string? _search;
    /// <summary>Every state, unfinished first, in the order the filter offers them.</summary>
    private static readonly WorkloadState[] FilterStates =
        [WorkloadState.Running, WorkloadState.Pending, WorkloadState.Queued, WorkloadState.Suspended, WorkloadState.Completed, WorkloadState.Failed, WorkloadState.Stopped];

    private WorkloadState? _state;
    private Guid? _nodeId;
    private CreatedRange _created;
    private int? _total;
    private bool _interactive;
    private string? _error;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [SupplyParameterFromQuery(Name = "node")]
    public Guid? NodeFromQuery { get; set; }

    [SupplyParameterFromQuery(Name = "state")]
    public string? StateFromQuery { get; set; }

    [SupplyParameterFromQuery(Name = "search")]
    public string? SearchFromQuery { get; set; }

    private string TotalText => _total switch
    {
        null => "",
        1 => "1 workload",
        { } n => $"{n} workloads",
    };

    protected override async Task OnInitializedAsync()
    {
        _nodeId = NodeFromQuery;
        _state = FilterStates.Select(x => (WorkloadState?)x).FirstOrDefault(x => string.Equals(x.ToString(), StateFromQuery, StringComparison.OrdinalIgnoreCase));
        _search = SearchFromQuery;
        try
        {
            _nodes = (await Client.GetSnapshotAsync(CancellationToken.None)).Nodes;
        }
        catch (Exception ex)
        {
            _error = ex.Message;
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

    /// <summary>The grid's ServerData: the current filters, the grid's page and sort.</summary>
    private async Task<GridData<WorkloadDto>> LoadPageAsync(GridState<WorkloadDto> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var by = sort is not null && Enum.TryParse<WorkloadSort>(sort.SortBy, out var column) ? column : WorkloadSort.CreatedAt;
        var descending = sort?.Descending ?? true;
        try
        {
            var page = await Client.QueryWorkloadsAsync(Filter(), by, descending, state.Page * state.PageSize, state.PageSize, cancellationToken);
            // The grid renders itself; the page's header (total, error) needs its own render when they change.
            if (_total != page.TotalCount || _error is not null)
            {
                _total = page.TotalCount;
                _error = null;
                StateHasChanged();
            }
            return new GridData<WorkloadDto> { Items = page.Items, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"Could not load workloads: {ex.Message}";
            StateHasChanged();
            return new GridData<WorkloadDto> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>What the filter controls ask for now.</summary>
    public WorkloadFilter Filter()
    {
        var now = Time.GetUtcNow();
        DateTimeOffset? after = _created switch
        {
            CreatedRange.LastHour => now.AddHours(-1),
            CreatedRange.LastDay => now.AddDays(-1),
            CreatedRange.LastWeek => now.AddDays(-7),
            _ => null,
        };
        return new WorkloadFilter(_state is { } state ? [state] : null, _nodeId, Search: string.IsNullOrWhiteSpace(_search) ? null : _search.Trim(), CreatedAfter: after);
    }

    private Task SearchChangedAsync(string? value)
    {
        _search = value;
        return ReloadAsync();
    }

    private Task StateChangedAsync(WorkloadState? value)
    {
        _state = value;
        return ReloadAsync();
    }

    private Task NodeChangedAsync(Guid? value)
    {
        _nodeId = value;
        return ReloadAsync();
    }

    private Task CreatedChangedAsync(CreatedRange value)
    {
        _created = value;
        return ReloadAsync();
    }

    // A changed filter starts again from the first page.
    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private string NodeName(Guid? id) => id is { } nodeId ? _nodes.FirstOrDefault(n => n.Id == nodeId)?.Name ?? nodeId.ToString()[..8] : "";

    private static string Describe(CreatedRange range) => range switch
    {
        CreatedRange.LastHour => "Last hour",
        CreatedRange.LastDay => "Last 24 hours",
        CreatedRange.LastWeek => "Last 7 days",
        _ => "Any time",
    };
}
