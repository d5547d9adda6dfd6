using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Agent.Tests.Workloads;

/// <summary>The local scheduler driving real Wasmtime workloads on one node.</summary>
public class PreemptionTests
{
    [Fact]
    public async Task Start_HighArrivesOnOneBusySlot_LowIsSuspendedAtASafePointAndResumesWithIdenticalOutput()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var low = agent.Command("hello", WorkloadPriority.Low, checkpointIntervalMs: 100);
        var high = agent.Command("hello", WorkloadPriority.High, ["3"]);
        agent.Host.Start(low);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Sent<CheckpointReport>().Any(), "the Low workload's first periodic checkpoint");

        agent.Host.Start(high);
        await agent.Hub.WaitForFinalAsync(low.WorkloadId);

        Assert.Equal(Samples.ExpectedStdout("hello"), agent.Hub.Stdout(low.WorkloadId));
        Assert.Equal(Samples.ExpectedStdout("hello-3"), agent.Hub.Stdout(high.WorkloadId));
        Assert.Equal([WorkloadState.Running, WorkloadState.Suspended, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(low.WorkloadId));
        Assert.Equal([WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(high.WorkloadId));
        var suspended = agent.Hub.Statuses(low.WorkloadId)[1];
        Assert.Equal("preempted at a safe point by a High workload on edge-1 (1 slot); it resumes here when a slot frees", suspended.Reason);
        // The Low one resumed only once the High one had finished.
        var highDone = agent.Hub.IndexOf(a => a is WorkloadStatusReport { State: WorkloadState.Completed } r && r.WorkloadId == high.WorkloadId);
        var lowSuspended = agent.Hub.IndexOf(a => a is WorkloadStatusReport { State: WorkloadState.Suspended } r && r.WorkloadId == low.WorkloadId);
        var lowResumed = agent.Hub.Calls().Select((c, i) => (c.Argument, i)).Skip(lowSuspended)
            .First(x => x.Argument is WorkloadStatusReport { State: WorkloadState.Running } r && r.WorkloadId == low.WorkloadId).i;
        Assert.True(highDone < lowResumed, $"High completed at call {highDone}, Low resumed at call {lowResumed}");
        // No periodic checkpoint while it was suspended, and they went on after it resumed.
        var checkpoints = agent.Hub.Calls().Select((c, i) => (c.Argument, i)).Where(x => x.Argument is CheckpointReport).Select(x => x.i).ToList();
        Assert.DoesNotContain(checkpoints, i => i > lowSuspended && i < lowResumed);
        Assert.Contains(checkpoints, i => i > lowResumed);
        Assert.Equal(new NodePressure(1, 0, 0, 0), agent.Scheduling.Pressure());
    }

    [Fact]
    public async Task Start_SlotBusyWithEqualPriority_QueuesThenRunsWhenTheSlotFrees()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var first = agent.Command("hello", WorkloadPriority.Normal, ["3"]);
        var second = agent.Command("counter", WorkloadPriority.Normal);

        agent.Host.Start(first);
        agent.Host.Start(second);
        Assert.Equal(new NodePressure(1, 1, 1, 0), agent.Scheduling.Pressure());
        await agent.Hub.WaitForFinalAsync(second.WorkloadId);

        Assert.Equal([WorkloadState.Queued, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(second.WorkloadId));
        Assert.Equal("queued on edge-1: 1 slot busy with Normal workloads", agent.Hub.Statuses(second.WorkloadId)[0].Reason);
        Assert.Equal(Samples.ExpectedStdout("counter"), agent.Hub.Stdout(second.WorkloadId));
    }

    [Fact]
    public async Task Stop_QueuedAndSuspendedWorkloads_EndStoppedAndLeaveTheQueue()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var low = agent.Command("hello", WorkloadPriority.Low);
        var high = agent.Command("hello", WorkloadPriority.High);
        var queued = agent.Command("hello", WorkloadPriority.Normal);
        agent.Host.Start(low);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Stdout(low.WorkloadId).Length > 0, "the Low workload's first output");
        agent.Host.Start(high);
        agent.Host.Start(queued);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.States(low.WorkloadId).Contains(WorkloadState.Suspended), "the Low workload's suspension");

        agent.Host.Stop(new StopWorkloadCommand(queued.WorkloadId, queued.Generation, "operator"));
        agent.Host.Stop(new StopWorkloadCommand(low.WorkloadId, low.Generation, "operator"));
        await agent.Hub.WaitForFinalAsync(low.WorkloadId);
        agent.Host.Stop(new StopWorkloadCommand(high.WorkloadId, high.Generation, "operator"));
        await agent.Hub.WaitForFinalAsync(high.WorkloadId);

        Assert.Equal([WorkloadState.Queued, WorkloadState.Stopped], agent.Hub.States(queued.WorkloadId));
        Assert.Equal("stopped on request while queued", agent.Hub.Statuses(queued.WorkloadId)[1].Reason);
        Assert.Equal([WorkloadState.Running, WorkloadState.Suspended, WorkloadState.Stopped], agent.Hub.States(low.WorkloadId));
        Assert.Equal([WorkloadState.Running, WorkloadState.Stopped], agent.Hub.States(high.WorkloadId));
        Assert.DoesNotContain(agent.Hub.Sent<OutputAppend>(), o => o.WorkloadId == queued.WorkloadId);
        await agent.Hub.WaitUntilAsync(() => agent.Scheduling.Pressure() == new NodePressure(1, 0, 0, 0), "an empty node");
    }

    [Fact]
    public async Task Discard_QueuedWorkload_LeavesWithoutAReport()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var running = agent.Command("hello", WorkloadPriority.Normal, ["3"]);
        var queued = agent.Command("hello", WorkloadPriority.Normal);
        agent.Host.Start(running);
        agent.Host.Start(queued);

        agent.Host.Discard(new WorkloadRef(queued.WorkloadId, queued.Generation));
        await agent.Hub.WaitForFinalAsync(running.WorkloadId);
        await Task.Delay(200);

        Assert.Equal(new NodePressure(1, 0, 0, 0), agent.Scheduling.Pressure());
        Assert.DoesNotContain(agent.Host.Owned(), o => o.WorkloadId == queued.WorkloadId);
        // No final status: at most the Queued report, if it went out before the discard.
        Assert.All(agent.Hub.States(queued.WorkloadId), state => Assert.Equal(WorkloadState.Queued, state));
    }

    [Fact]
    public async Task Checkpoint_MigrationOfAQueuedWorkload_FailsNamingWhy()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var running = agent.Command("hello", WorkloadPriority.Normal);
        var queued = agent.Command("hello", WorkloadPriority.Normal);
        agent.Host.Start(running);
        agent.Host.Start(queued);
        var migration = Guid.NewGuid();

        agent.Migrations.Checkpoint(new CheckpointWorkloadCommand(migration, queued.WorkloadId, queued.Generation, Pause: true));
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Sent<MigrationReport>().Any(), "the migration report");

        var report = Assert.Single(agent.Hub.Sent<MigrationReport>());
        Assert.Equal((migration, MigrationReportKind.Failed), (report.MigrationId, report.Kind));
        Assert.Contains($"workload {queued.WorkloadId}: the workload is queued on edge-1 and has not run yet", report.Reason);
        Assert.Equal([WorkloadState.Queued], agent.Hub.States(queued.WorkloadId));
    }

    [Theory]
    [InlineData("never-yields")]
    [InlineData("big-heap")]
    public async Task Start_PreemptedRightAfterItsStart_StillPrintsTheExpectedOutput(string sample)
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var low = agent.Command(sample, WorkloadPriority.Low);
        var high = agent.Command("counter", WorkloadPriority.High);
        agent.Host.Start(low);
        // Before its first safe point, likely before the guest's first malloc (automatic safe points at function entries).
        agent.Host.Start(high);
        await agent.Hub.WaitForFinalAsync(low.WorkloadId, 120_000);

        Assert.Equal([WorkloadState.Running, WorkloadState.Suspended, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(low.WorkloadId));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(Samples.ExpectedStdout(sample)), System.Text.Encoding.UTF8.GetString(agent.Hub.Stdout(low.WorkloadId)));
    }
}
