using Microsoft.Extensions.Time.Testing;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Agent.Tests.Support;

namespace ContinuumControl.Agent.Tests.Scheduling;

public class LocalSchedulerTests
{
    private const long MiB = 1024 * 1024;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private LocalScheduler Scheduler(int slots = 2, long memoryMiB = 1024, int? offloadAfterMs = null) =>
        new(new LocalSchedulerSettings(slots, memoryMiB * MiB, "edge-1", offloadAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null), _time);

    private static Guid Id() => Guid.NewGuid();

    [Fact]
    public void Submit_FreeSlots_StartsEachAtOnce()
    {
        var scheduler = Scheduler(slots: 2);
        var (a, b) = (Id(), Id());

        Assert.Equal([new StartDecision(a)], scheduler.Submit(a, WorkloadPriority.Normal, 64 * MiB));
        Assert.Equal([new StartDecision(b)], scheduler.Submit(b, WorkloadPriority.Low, 64 * MiB));
        Assert.Equal(2, scheduler.Running);
    }

    [Fact]
    public void Submit_AllSlotsBusyWithEqualOrHigherPriority_QueuesWithReasonNamingTheBlockers()
    {
        var scheduler = Scheduler(slots: 2);
        scheduler.Submit(Id(), WorkloadPriority.High, 64 * MiB);
        scheduler.Submit(Id(), WorkloadPriority.Normal, 64 * MiB);
        var waiting = Id();

        var decision = Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(waiting, WorkloadPriority.Normal, 64 * MiB)));

        Assert.Equal(waiting, decision.Key);
        Assert.Equal("queued on edge-1: 2 slots busy with High/Normal workloads", decision.Reason);
        Assert.Equal(LocalWorkloadState.Queued, scheduler.StateOf(waiting));
        Assert.Equal((2, 1, 0), (scheduler.Running, scheduler.Queued, scheduler.Suspended));
    }

    [Fact]
    public void Remove_RunningWorkload_StartsQueuedByPriorityThenArrival()
    {
        var scheduler = Scheduler(slots: 1);
        var running = Id();
        scheduler.Submit(running, WorkloadPriority.High, MiB);
        var (lowFirst, normalLater, normalLast) = (Id(), Id(), Id());
        scheduler.Submit(lowFirst, WorkloadPriority.Low, MiB);
        scheduler.Submit(normalLater, WorkloadPriority.Normal, MiB);
        scheduler.Submit(normalLast, WorkloadPriority.Normal, MiB);

        Assert.Equal([new StartDecision(normalLater)], scheduler.Remove(running));
        Assert.Equal([new StartDecision(normalLast)], scheduler.Remove(normalLater));
        Assert.Equal([new StartDecision(lowFirst)], scheduler.Remove(normalLast));
    }

    [Fact]
    public void Submit_MemoryOfRunningAndSuspendedFull_QueuesUntilMemoryIsFreed()
    {
        var scheduler = Scheduler(slots: 4, memoryMiB: 512);
        var big = Id();
        scheduler.Submit(big, WorkloadPriority.Normal, 400 * MiB);
        var waiting = Id();

        var decision = Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(waiting, WorkloadPriority.Normal, 200 * MiB)));

        Assert.Equal("queued on edge-1: needs 200 MiB of memory, 112 MiB of 512 MiB free", decision.Reason);
        Assert.Equal([new StartDecision(waiting)], scheduler.Remove(big));
    }

    [Fact]
    public void Submit_HeadDoesNotFitInMemory_LaterSmallerWorkloadRunsFirst()
    {
        var scheduler = Scheduler(slots: 1, memoryMiB: 512);
        var running = Id();
        scheduler.Submit(running, WorkloadPriority.Normal, 300 * MiB);
        var (huge, small) = (Id(), Id());
        scheduler.Submit(huge, WorkloadPriority.Normal, 600 * MiB);
        scheduler.Submit(small, WorkloadPriority.Normal, 100 * MiB);

        Assert.Equal([new StartDecision(small)], scheduler.Remove(running));
        Assert.Equal(LocalWorkloadState.Queued, scheduler.StateOf(huge));
    }

    [Fact]
    public void Submit_HigherPriorityWhenFull_PreemptsLowestPriorityMostRecentlyStarted()
    {
        var scheduler = Scheduler(slots: 3);
        var normal = Id();
        var (olderLow, newerLow) = (Id(), Id());
        scheduler.Submit(olderLow, WorkloadPriority.Low, MiB);
        scheduler.Submit(normal, WorkloadPriority.Normal, MiB);
        scheduler.Submit(newerLow, WorkloadPriority.Low, MiB);
        var high = Id();

        var decisions = scheduler.Submit(high, WorkloadPriority.High, MiB);

        Assert.Equal(2, decisions.Count);
        var suspend = Assert.IsType<SuspendDecision>(decisions[0]);
        Assert.Equal(newerLow, suspend.Key);
        Assert.Equal("preempted at a safe point by a High workload on edge-1 (3 slots); it resumes here when a slot frees", suspend.Reason);
        Assert.Equal(new StartDecision(high), decisions[1]);
        Assert.Equal((3, 0, 1), (scheduler.Running, scheduler.Queued, scheduler.Suspended));
    }

    [Fact]
    public void Submit_EqualPriorityWhenFull_DoesNotPreempt()
    {
        var scheduler = Scheduler(slots: 1);
        scheduler.Submit(Id(), WorkloadPriority.Normal, MiB);

        Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(Id(), WorkloadPriority.Normal, MiB)));
    }

    [Fact]
    public void Submit_PreemptionWouldOverflowMemory_QueuesInstead()
    {
        // The preempted workload keeps its memory while suspended, so the arrival must fit beside it.
        var scheduler = Scheduler(slots: 1, memoryMiB: 512);
        var low = Id();
        scheduler.Submit(low, WorkloadPriority.Low, 400 * MiB);

        Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(Id(), WorkloadPriority.High, 200 * MiB)));
        Assert.Equal(LocalWorkloadState.Running, scheduler.StateOf(low));
    }

    [Fact]
    public void Remove_PreemptorEnds_ResumesSuspendedBeforeQueuedOfSamePriority()
    {
        var scheduler = Scheduler(slots: 1);
        var low = Id();
        scheduler.Submit(low, WorkloadPriority.Low, MiB);
        var high = Id();
        scheduler.Submit(high, WorkloadPriority.High, MiB);
        var laterLow = Id();
        scheduler.Submit(laterLow, WorkloadPriority.Low, MiB);

        Assert.Equal([new ResumeDecision(low)], scheduler.Remove(high));
        Assert.Equal([new StartDecision(laterLow)], scheduler.Remove(low));
    }

    [Fact]
    public void Remove_PreemptorEnds_QueuedOfHigherPriorityGoesBeforeSuspended()
    {
        var scheduler = Scheduler(slots: 1);
        var low = Id();
        scheduler.Submit(low, WorkloadPriority.Low, MiB);
        var high = Id();
        scheduler.Submit(high, WorkloadPriority.High, MiB);
        var normal = Id();
        scheduler.Submit(normal, WorkloadPriority.Normal, MiB);

        Assert.Equal([new StartDecision(normal)], scheduler.Remove(high));
        Assert.Equal([new ResumeDecision(low)], scheduler.Remove(normal));
    }

    [Fact]
    public void Remove_QueuedWorkload_TakesItOutOfLine()
    {
        var scheduler = Scheduler(slots: 1);
        var running = Id();
        scheduler.Submit(running, WorkloadPriority.Normal, MiB);
        var (stopped, next) = (Id(), Id());
        scheduler.Submit(stopped, WorkloadPriority.Normal, MiB);
        scheduler.Submit(next, WorkloadPriority.Normal, MiB);

        Assert.Empty(scheduler.Remove(stopped));

        Assert.Null(scheduler.StateOf(stopped));
        Assert.Equal([new StartDecision(next)], scheduler.Remove(running));
        Assert.Equal((1, 0, 0), (scheduler.Running, scheduler.Queued, scheduler.Suspended));
    }

    [Fact]
    public void Remove_SuspendedWorkload_FreesItsMemoryForTheQueue()
    {
        var scheduler = Scheduler(slots: 2, memoryMiB: 512);
        var (low, high) = (Id(), Id());
        scheduler.Submit(low, WorkloadPriority.Low, 300 * MiB);
        scheduler.Submit(high, WorkloadPriority.High, 100 * MiB);
        scheduler.Submit(Id(), WorkloadPriority.High, 100 * MiB);
        var big = Id();
        scheduler.Submit(big, WorkloadPriority.Normal, 300 * MiB);
        Assert.Equal(LocalWorkloadState.Suspended, scheduler.StateOf(low));

        Assert.Empty(scheduler.Remove(low));

        // With the suspended one still holding its 300 MiB, this slot would have resumed it instead.
        Assert.Equal([new StartDecision(big)], scheduler.Remove(high));
    }

    [Fact]
    public void Admit_AllSlotsBusy_RunsBeyondTheSlots()
    {
        var scheduler = Scheduler(slots: 1);
        scheduler.Submit(Id(), WorkloadPriority.High, MiB);
        var restored = Id();

        Assert.Empty(scheduler.Admit(restored, WorkloadPriority.Normal, MiB));

        Assert.Equal(LocalWorkloadState.Running, scheduler.StateOf(restored));
        Assert.Equal(2, scheduler.Running);
        // Nothing new starts until the node is back under its slots.
        Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(Id(), WorkloadPriority.Normal, MiB)));
    }

    [Fact]
    public void TryPin_QueuedOrSuspended_RefusesWithReason()
    {
        var scheduler = Scheduler(slots: 1);
        var low = Id();
        scheduler.Submit(low, WorkloadPriority.Low, MiB);
        scheduler.Submit(Id(), WorkloadPriority.High, MiB);
        var queued = Id();
        scheduler.Submit(queued, WorkloadPriority.Normal, MiB);

        Assert.False(scheduler.TryPin(queued, out var queuedRefusal));
        Assert.False(scheduler.TryPin(low, out var suspendedRefusal));

        Assert.StartsWith("the workload is queued on edge-1 and has not run yet (1 slot busy with High workloads", queuedRefusal);
        Assert.Contains("only a running workload can be checkpointed for a migration", queuedRefusal);
        Assert.StartsWith("the workload is suspended on edge-1 (preempted at a safe point by a High workload", suspendedRefusal);
    }

    [Fact]
    public void TryPin_RunningWorkload_IsNotPreemptedUntilUnpinned()
    {
        var scheduler = Scheduler(slots: 1);
        var low = Id();
        scheduler.Submit(low, WorkloadPriority.Low, MiB);
        Assert.True(scheduler.TryPin(low, out _));
        var high = Id();

        Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(high, WorkloadPriority.High, MiB)));

        Assert.Equal([new SuspendDecision(low, "preempted at a safe point by a High workload on edge-1 (1 slot); it resumes here when a slot frees"), new StartDecision(high)], scheduler.Unpin(low));
    }

    [Fact]
    public void Hold_SuspendsEveryRunningWorkloadButPinnedOnes_AndQueuesArrivals()
    {
        var scheduler = Scheduler(slots: 3);
        var (a, b, migrating) = (Id(), Id(), Id());
        scheduler.Submit(a, WorkloadPriority.High, MiB);
        scheduler.Submit(b, WorkloadPriority.Low, MiB);
        scheduler.Submit(migrating, WorkloadPriority.Low, MiB);
        scheduler.TryPin(migrating, out _);
        const string reason = "energy store at 5%: suspended until harvest recovers";

        Assert.Equal([new SuspendDecision(a, reason), new SuspendDecision(b, reason)], scheduler.Hold(reason));

        var arrival = Id();
        Assert.Equal([new QueueDecision(arrival, $"queued on edge-1: {reason}")], scheduler.Submit(arrival, WorkloadPriority.High, MiB));
        Assert.Equal(reason, scheduler.HoldReason);
        Assert.Equal((1, 1, 2), (scheduler.Running, scheduler.Queued, scheduler.Suspended));
    }

    [Fact]
    public void Release_AfterHold_ResumesSuspendedByPriorityThenStartsQueued()
    {
        var scheduler = Scheduler(slots: 2);
        var (low, high) = (Id(), Id());
        scheduler.Submit(low, WorkloadPriority.Low, MiB);
        scheduler.Submit(high, WorkloadPriority.High, MiB);
        scheduler.Hold("low energy");
        var normal = Id();
        scheduler.Submit(normal, WorkloadPriority.Normal, MiB);

        Assert.Equal([new ResumeDecision(high), new StartDecision(normal)], scheduler.Release());
        Assert.Equal(LocalWorkloadState.Suspended, scheduler.StateOf(low));
        Assert.Empty(scheduler.Release());
    }

    [Fact]
    public void DueOffloads_QueuedLongerThanTheDelay_AsksOnceWithReason()
    {
        var scheduler = Scheduler(slots: 2, offloadAfterMs: 10_000);
        scheduler.Submit(Id(), WorkloadPriority.High, MiB);
        scheduler.Submit(Id(), WorkloadPriority.Normal, MiB);
        var waiting = Id();
        scheduler.Submit(waiting, WorkloadPriority.Low, MiB);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Empty(scheduler.DueOffloads());
        _time.Advance(TimeSpan.FromSeconds(2.1));
        var offload = Assert.Single(scheduler.DueOffloads());
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(waiting, offload.Key);
        Assert.Equal("queued 12 s on edge-1: 2 slots busy with High/Normal workloads", offload.Reason);
        Assert.Empty(scheduler.DueOffloads());
    }

    [Fact]
    public void DueOffloads_SuspendedOrDisabled_NeverAsks()
    {
        var disabled = Scheduler(slots: 1);
        disabled.Submit(Id(), WorkloadPriority.Normal, MiB);
        disabled.Submit(Id(), WorkloadPriority.Normal, MiB);
        var preempting = Scheduler(slots: 1, offloadAfterMs: 1000);
        preempting.Submit(Id(), WorkloadPriority.Low, MiB);
        preempting.Submit(Id(), WorkloadPriority.High, MiB);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(disabled.DueOffloads());
        Assert.Empty(preempting.DueOffloads());
    }

    [Fact]
    public void DueOffloads_WaitingBehindOthers_SaysHowManyAreAhead()
    {
        var scheduler = Scheduler(slots: 1, offloadAfterMs: 1000);
        scheduler.Submit(Id(), WorkloadPriority.Normal, MiB);
        scheduler.Submit(Id(), WorkloadPriority.Normal, MiB);
        var last = Id();
        scheduler.Submit(last, WorkloadPriority.Normal, MiB);

        _time.Advance(TimeSpan.FromSeconds(3));

        var offloads = scheduler.DueOffloads();
        Assert.Equal(2, offloads.Count);
        Assert.Equal("queued 3 s on edge-1: 1 slot busy with Normal workloads, 1 waiting ahead of it", offloads.Single(o => o.Key == last).Reason);
    }

    [Fact]
    public void Submit_MoreMemoryThanTheNodeOffers_SaysItCanNeverFit()
    {
        var scheduler = Scheduler(slots: 1, memoryMiB: 256);

        var decision = Assert.IsType<QueueDecision>(Assert.Single(scheduler.Submit(Id(), WorkloadPriority.High, 512 * MiB)));

        Assert.Equal("queued on edge-1: needs 512 MiB of memory, more than the 256 MiB this node offers", decision.Reason);
    }
}
