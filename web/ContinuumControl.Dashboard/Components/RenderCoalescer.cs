namespace ContinuumControl.Dashboard.Components;

/// <summary>
/// Lets a component render a burst of changes once: the first request waits <c>interval</c>, requests meanwhile join it.
/// Request it on the renderer's context (inside InvokeAsync).
/// </summary>
public sealed class RenderCoalescer(Func<Action, Task> invoke, Action render, TimeProvider time, TimeSpan interval)
{
    private bool _scheduled;

    public void Request(CancellationToken cancellationToken)
    {
        if (_scheduled)
        {
            return;
        }

        _scheduled = true;
        _ = RenderLaterAsync(cancellationToken);
    }

    private async Task RenderLaterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await invoke(() =>
        {
            _scheduled = false;
            render();
        });
    }
}
