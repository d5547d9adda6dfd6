using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.ServiceClient;
using Microsoft.AspNetCore.Components;

namespace ContinuumControl.Dashboard.Components.Controls;

/// <summary>
/// A workload's stdout and stderr, following live: reads each stream from offset 0, then appends the slices the change
/// stream brings; offsets drop slices already held and a missed slice is fetched instead of leaving a gap.
/// </summary>
public sealed partial class OutputView : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private OutputBuffer[] _buffers = [new(OutputStreams.Stdout), new(OutputStreams.Stderr)];
    private Guid _watching;
    private Task _watch = Task.CompletedTask;
    private RenderCoalescer _renders = default!;
    private string? _error;

    [Inject]
    public required IControlPlaneClient Client { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Parameter, EditorRequired]
    public Guid WorkloadId { get; set; }

    protected override void OnInitialized() =>
        _renders = new RenderCoalescer(InvokeAsync, StateHasChanged, Time, PoolPage.RenderInterval);

    protected override void OnParametersSet()
    {
        // One view follows one workload; the parent gives each workload its own @key.
        if (_watching == WorkloadId || !RendererInfo.IsInteractive)
        {
            return;
        }

        _watching = WorkloadId;
        _buffers = [new(OutputStreams.Stdout), new(OutputStreams.Stderr)];
        _watch = ClusterWatch.RunAsync(Client, LoadAsync, ApplyAsync, ReportAsync, Time, _cts.Token);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers)
        {
            await CatchUpAsync(buffer, cancellationToken);
        }

        await InvokeAsync(StateHasChanged);
    }

    private async Task CatchUpAsync(OutputBuffer buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var from = buffer.NextOffset;
            var slice = await Client.GetOutputAsync(WorkloadId, buffer.Stream, from, cancellationToken);
            await InvokeAsync(() => { buffer.Append(slice); });
            if (buffer.NextOffset <= from || slice.Text.Length == 0)
            {
                return;
            }
        }
    }

    private async Task ApplyAsync(ClusterChange change)
    {
        if (change is not { Kind: ClusterChangeKind.OutputAppended, Output: { } slice } || change.OutputWorkloadId != WorkloadId)
        {
            return;
        }

        var buffer = Array.Find(_buffers, b => string.Equals(b.Stream, slice.Stream, StringComparison.OrdinalIgnoreCase));
        if (buffer is null)
        {
            return;
        }

        var result = OutputAppendResult.Duplicate;
        await InvokeAsync(() => { result = buffer.Append(slice); });
        if (result == OutputAppendResult.Gap)
        {
            // A slice went missing (the stream dropped it or it fell before the watch): read the hole, then this one.
            await CatchUpAsync(buffer, _cts.Token);
            await InvokeAsync(() => { buffer.Append(slice); });
        }

        await InvokeAsync(() => _renders.Request(_cts.Token));
    }

    private Task ReportAsync(Exception? error) => InvokeAsync(() =>
    {
        if (_error != error?.Message)
        {
            _error = error?.Message;
            StateHasChanged();
        }
    });

    private static string StatusOf(OutputBuffer buffer) =>
        buffer.Finished ? "Finished: nothing more will come." : "Following live…";

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
