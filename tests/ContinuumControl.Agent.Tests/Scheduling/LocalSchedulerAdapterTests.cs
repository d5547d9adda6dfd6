using Microsoft.Extensions.Time.Testing;
using ContinuumControl.Agent.Energy;
using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Agent.Tests.Scheduling;

/// <summary>The adapter's timer-driven duties (offload requests, the energy store) with real workloads and fake time.</summary>
public class LocalSchedulerAdapterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Tick_WorkloadQueuedLongerThanTheOffloadDelay_AsksForAnOffloadOnce()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1, time: _time, configure: o => o.Scheduler.OffloadAfterMs = 5000);
        var running = agent.Command("hello", WorkloadPriority.High);
        var waiting = agent.Command("hello", WorkloadPriority.Normal, generation: 4);
        agent.Host.Start(running);
        agent.Host.Start(waiting);

        // 36 s tick by tick (FakeTimeProvider shows a timer only the end of a longer step): the request is made at 5 s, and once.
        for (var tick = 0; tick < 144; tick++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Sent<OffloadRequest>().Any(), "an offload request");
        await Task.Delay(200);

        var request = Assert.Single(agent.Hub.Sent<OffloadRequest>());
        Assert.Equal(new OffloadRequest(waiting.WorkloadId, 4, "queued 5 s on edge-1: 1 slot busy with High workloads"), request);
    }

    /// <summary>Moves time on in steps of the adapter's 250 ms tick until <paramref name="condition"/> holds; returns the steps taken.</summary>
    private int AdvanceUntil(Func<bool> condition)
    {
        for (var steps = 1; steps <= 200; steps++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            if (condition())
            {
                return steps;
            }
        }
        throw new TimeoutException("the condition did not hold within 50 s of fake time");
    }

    [Fact]
    public async Task Tick_EnergyStoreFallsToSuspendLevel_SuspendsEverythingAndResumesWhenHarvestRecovers()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 2, time: _time, configure: o => o.Energy = new EnergySupplyOptions
        {
            Enabled = true,
            CapacityJoules = 100,
            InitialLevel = 0.5,
            HarvestWatts = 1,
            IdleWatts = 0,
            WattsPerRunningWorkload = 10,
            SuspendLevel = 0.05,
            ResumeMargin = 0.05,
        });
        var running = agent.Command("hello", WorkloadPriority.High);
        agent.Host.Start(running);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Stdout(running.WorkloadId).Length > 0, "the first output");

        // 9 W net draw empties 45 J (0.5 -> 0.05) in about 5 s (the first tick still integrates the idle draw).
        Assert.InRange(AdvanceUntil(() => agent.Scheduling.Pressure().Suspended == 1), 21, 23);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.States(running.WorkloadId).Contains(WorkloadState.Suspended), "the energy suspension");
        var arrival = agent.Command("hello", WorkloadPriority.High, ["3"]);
        agent.Host.Start(arrival);
        var low = agent.Scheduling.Energy()!;

        Assert.InRange(low.Level, 0.0, 0.05);
        Assert.Equal((1.0, 0.0), (low.HarvestWatts, low.DrawWatts));
        Assert.Null(low.SecondsLeft);
        Assert.Matches(@"^energy store at \d%: suspended until harvest recovers$", agent.Hub.Statuses(running.WorkloadId)[1].Reason);
        Assert.Equal(new NodePressure(2, 0, 1, 1), agent.Scheduling.Pressure());

        // +1 W while suspended: from 2.75-5% back to 10% in 5-7.25 s. Time stops there: two workloads would drain it again.
        Assert.InRange(AdvanceUntil(() => agent.Scheduling.Pressure().Suspended == 0), 20, 29);
        await agent.Hub.WaitForFinalAsync(running.WorkloadId);
        await agent.Hub.WaitForFinalAsync(arrival.WorkloadId);

        Assert.Equal([WorkloadState.Running, WorkloadState.Suspended, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(running.WorkloadId));
        Assert.Equal([WorkloadState.Queued, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(arrival.WorkloadId));
        Assert.StartsWith("queued on edge-1: energy store at ", agent.Hub.Statuses(arrival.WorkloadId)[0].Reason);
        Assert.Equal(Samples.ExpectedStdout("hello"), agent.Hub.Stdout(running.WorkloadId));
        Assert.Equal(Samples.ExpectedStdout("hello-3"), agent.Hub.Stdout(arrival.WorkloadId));
    }
}
