using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Live;

namespace ContinuumControl.Server.Tests.Live;

/// <summary>API waiters subscribe, then read the current state: a change published in between must reach them.</summary>
public class ClusterEventsTests
{
    private static ClusterChange Removed(Guid id) => new(ClusterChangeKind.WorkloadRemoved, RemovedId: id);

    [Fact]
    public async Task Subscribe_SeesAChangePublishedBeforeItsFirstRead()
    {
        var events = new ClusterEvents();
        var id = Guid.NewGuid();
        await using var changes = events.SubscribeAsync(CancellationToken.None).GetAsyncEnumerator();

        events.Publish(Removed(id));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(timeout.Token));
        Assert.Equal(id, changes.Current.RemovedId);
    }

    [Fact]
    public async Task DisposingASubscriptionNeverRead_Unsubscribes()
    {
        var events = new ClusterEvents();
        var changes = events.SubscribeAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(events.HasSubscribers);

        await changes.DisposeAsync();

        Assert.False(events.HasSubscribers);
    }

    [Fact]
    public async Task Cancellation_EndsTheWait()
    {
        var events = new ClusterEvents();
        using var cancel = new CancellationTokenSource();
        await using var changes = events.SubscribeAsync(cancel.Token).GetAsyncEnumerator();

        var waiting = changes.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
