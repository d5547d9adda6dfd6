using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.ServiceClient;

/// <summary>
/// The subscription loop every live view runs: start watching, load the initial state, then apply changes until
/// cancelled. Watching starts first so no change falls between the initial load and the stream; on a broken stream it
/// reports the error, waits and starts over (with a fresh initial load).
/// </summary>
public static class ClusterWatch
{
    /// <summary>Delay before a broken watch is started again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <param name="load">Loads the initial state; runs after the watch has started.</param>
    /// <param name="apply">Applies one change; runs in order, one at a time.</param>
    /// <param name="onError">Told about a broken watch (null once it works again).</param>
    public static async Task RunAsync(
        IControlPlaneClient client,
        Func<CancellationToken, Task> load,
        Func<ClusterChange, Task> apply,
        Func<Exception?, Task> onError,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await WatchOnceAsync(client, load, apply, onError, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                await onError(ex);
            }

            try
            {
                await Task.Delay(RetryDelay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WatchOnceAsync(
        IControlPlaneClient client,
        Func<CancellationToken, Task> load,
        Func<ClusterChange, Task> apply,
        Func<Exception?, Task> onError,
        CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changes = client.WatchAsync(attempt.Token).GetAsyncEnumerator(attempt.Token);
        var next = Task.FromResult(false);
        try
        {
            // Started before the load: the watch is registered by the time the initial state is read.
            next = changes.MoveNextAsync().AsTask();
            await load(cancellationToken);
            await onError(null);
            while (await next)
            {
                await apply(changes.Current);
                next = changes.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNextAsync is in flight.
            if (!next.IsCompleted)
            {
                await attempt.CancelAsync();
                try
                {
                    await next;
                }
                catch (Exception)
                {
                    // Cancelled or broken: either way this attempt is over.
                }
            }

            await changes.DisposeAsync();
        }
    }
}
