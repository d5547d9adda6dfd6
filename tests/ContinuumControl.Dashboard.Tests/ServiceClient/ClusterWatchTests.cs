using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.ServiceClient;

public sealed class ClusterWatchTests
{
    private readonly FakeControlPlaneClient _client = new();

    [Fact]
    public async Task RunAsync_ChangeDuringLoad_IsNotLost()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var node = TestData.Node("edge-1");
        var applied = new TaskCompletionSource<ClusterChange>(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = ClusterWatch.RunAsync(
            _client,
            _ =>
            {
                // The watch must already be registered while the initial state loads.
                Assert.Equal(1, _client.WatcherCount);
                _client.Upsert(node);
                return Task.CompletedTask;
            },
            change =>
            {
                applied.TrySetResult(change);
                return Task.CompletedTask;
            },
            _ => Task.CompletedTask,
            TimeProvider.System,
            cts.Token);

        var change = await applied.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal(node, change.Node);
    }

    [Fact]
    public async Task RunAsync_LoadFails_ReportsAndRetriesWithoutLeakingWatch()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var loads = 0;
        var errors = new List<string?>();
        var loadedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = ClusterWatch.RunAsync(
            _client,
            _ =>
            {
                if (++loads == 1)
                {
                    throw new IOException("server restarting");
                }

                loadedTwice.TrySetResult();
                return Task.CompletedTask;
            },
            _ => Task.CompletedTask,
            error =>
            {
                errors.Add(error?.Message);
                return Task.CompletedTask;
            },
            new ImmediateTimeProvider(),
            cts.Token);

        await loadedTwice.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal(["server restarting", null], errors);
        Assert.Equal(0, _client.WatcherCount);
    }

    /// <summary>Fires every timer at once, so retry delays take no time.</summary>
    private sealed class ImmediateTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
