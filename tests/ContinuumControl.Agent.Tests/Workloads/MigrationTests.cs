using ContinuumControl.Agent.Tests.Support;
using Microsoft.Extensions.Logging;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Checkpoints;

namespace ContinuumControl.Agent.Tests.Workloads;

/// <summary>Both ends of a migration through the agent's participant, with the local scheduler in the way.</summary>
public class MigrationTests
{
    [Fact]
    public async Task Restore_CheckpointFromAnotherAgent_ContinuesThereWithIdenticalOutput()
    {
        var controlPlane = new FakeControlPlane();
        await using var source = new AgentHarness(controlPlane, slots: 1, name: "edge-1");
        await using var target = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");
        var start = await StartUntilFirstOutputAsync(source);
        // The target's only slot is busy: a restored workload runs anyway.
        var busy = target.Command("hello", WorkloadPriority.High);
        target.Host.Start(busy);
        var migration = Guid.NewGuid();

        source.Migrations.Checkpoint(new CheckpointWorkloadCommand(migration, start.WorkloadId, start.Generation, Pause: false));
        // As the coordinator does: the pause is asked for once the pre-copy is reported, not while it waits for a safe point.
        await source.Hub.WaitUntilAsync(() => source.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.PreCopied), "the pre-copy");
        await PauseRestoreAndFinishAsync(source, target, start, migration);

        Assert.Equal([MigrationReportKind.PreCopied, MigrationReportKind.Checkpointed], source.Hub.Sent<MigrationReport>().Select(r => r.Kind));
        Assert.Equal([MigrationReportKind.Fetched, MigrationReportKind.Restored], target.Hub.Sent<MigrationReport>().Select(r => r.Kind));
        Assert.Equal([WorkloadState.Running], source.Hub.States(start.WorkloadId));
        Assert.Equal([WorkloadState.Completed], target.Hub.States(start.WorkloadId));
        var before = source.Hub.Stdout(start.WorkloadId);
        Assert.Equal(Samples.ExpectedStdout("hello"), target.Hub.Stdout(start.WorkloadId, before));
        Assert.Equal([WorkloadState.Running], target.Hub.States(busy.WorkloadId).Take(1));
        // The moments of the pause, for the control plane's downtime breakdown: each agent's own, in order.
        var checkpointed = source.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.Checkpointed);
        var restored = target.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.Restored);
        AssertInOrder(checkpointed.Steps, MigrationStepNames.SourceRequested, MigrationStepNames.SourcePaused, MigrationStepNames.SourceCaptured,
            MigrationStepNames.SourceHashed, MigrationStepNames.SourceWritten, MigrationStepNames.SourceReported);
        Assert.Equal(checkpointed.At, checkpointed.Steps![MigrationStepNames.SourcePaused]);
        AssertInOrder(restored.Steps, MigrationStepNames.TargetRestoreCommand, MigrationStepNames.TargetFetched, MigrationStepNames.TargetLoaded, MigrationStepNames.TargetResumed);
        Assert.Equal(restored.At, restored.Steps![MigrationStepNames.TargetResumed]);
        Assert.Null(source.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.PreCopied).Steps);
    }

    private static void AssertInOrder(IReadOnlyDictionary<string, DateTimeOffset>? steps, params string[] names)
    {
        Assert.NotNull(steps);
        Assert.Equal(names.Order(), steps.Keys.Order());
        var times = names.Select(n => steps[n]).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task Restore_AfterPrefetchOfThePreCopy_TakesOverTheStagedInstance_AndOutputIsIdentical()
    {
        var controlPlane = new FakeControlPlane();
        await using var source = new AgentHarness(controlPlane, slots: 1, name: "edge-1");
        await using var target = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");
        var start = await StartUntilFirstOutputAsync(source);
        var migration = Guid.NewGuid();

        source.Migrations.Checkpoint(new CheckpointWorkloadCommand(migration, start.WorkloadId, start.Generation, Pause: false));
        await source.Hub.WaitUntilAsync(() => source.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.PreCopied), "the pre-copy");
        var preCopy = source.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.PreCopied);
        target.Migrations.Prefetch(new PrefetchChunksCommand(migration, preCopy.ManifestJson!, start.MemoryLimitBytes));
        await target.Hub.WaitUntilAsync(() => target.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.Prefetched), "the prefetch");
        await PauseRestoreAndFinishAsync(source, target, start, migration);

        Assert.Equal([MigrationReportKind.Prefetched, MigrationReportKind.Fetched, MigrationReportKind.Restored], target.Hub.Sent<MigrationReport>().Select(r => r.Kind));
        Assert.Contains(target.RestorerLog.Entries, e => e.Message.Contains("(staged from the pre-copy)", StringComparison.Ordinal));
        Assert.DoesNotContain(target.MigrationLog.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal([WorkloadState.Completed], target.Hub.States(start.WorkloadId));
        var before = source.Hub.Stdout(start.WorkloadId);
        Assert.Equal(Samples.ExpectedStdout("hello"), target.Hub.Stdout(start.WorkloadId, before));
    }

    [Fact]
    public async Task Resume_AfterAnAbortedMigration_RunsOnAndCanBePreemptedAgain()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var low = agent.Command("hello", WorkloadPriority.Low);
        agent.Host.Start(low);
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Stdout(low.WorkloadId).Length > 0, "the first output");
        agent.Migrations.Checkpoint(new CheckpointWorkloadCommand(Guid.NewGuid(), low.WorkloadId, low.Generation, Pause: true));
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Sent<MigrationReport>().Any(), "the final checkpoint");

        // Paused for the migration: a High arrival must not take its slot by suspending it.
        var high = agent.Command("hello", WorkloadPriority.High, ["3"]);
        agent.Host.Start(high);
        Assert.Equal(new NodePressure(1, 1, 1, 0), agent.Scheduling.Pressure());
        agent.Host.Resume(new WorkloadRef(low.WorkloadId, low.Generation));
        await agent.Hub.WaitForFinalAsync(low.WorkloadId);

        Assert.Equal(MigrationReportKind.Checkpointed, Assert.Single(agent.Hub.Sent<MigrationReport>()).Kind);
        Assert.Equal([WorkloadState.Running, WorkloadState.Suspended, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(low.WorkloadId));
        Assert.Equal([WorkloadState.Queued, WorkloadState.Running, WorkloadState.Completed], agent.Hub.States(high.WorkloadId));
        Assert.Equal(Samples.ExpectedStdout("hello"), agent.Hub.Stdout(low.WorkloadId));
    }

    private static async Task<StartWorkloadCommand> StartUntilFirstOutputAsync(AgentHarness source)
    {
        var start = source.Command("hello", WorkloadPriority.Normal);
        source.Host.Start(start);
        await source.Hub.WaitUntilAsync(() => source.Hub.Stdout(start.WorkloadId).Length > 0, "the first output");
        return start;
    }

    /// <summary>
    /// The server must hand the report's inline chunks on with the restore command: without them the target lacks
    /// the final delta; with bytes that are not a chunk batch it cannot read them. Either way it fails with the reason
    /// and never runs the workload.
    /// </summary>
    [Theory]
    [InlineData(false, "the control plane lacks a chunk of the checkpoint")]
    [InlineData(true, "the restore command's inline chunks are not a chunk batch")]
    public async Task Restore_WithoutTheReportsInlineChunks_FailsWithTheReason(bool garbage, string reason)
    {
        var controlPlane = new FakeControlPlane();
        await using var source = new AgentHarness(controlPlane, slots: 1, name: "edge-1");
        await using var target = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");
        var start = await StartUntilFirstOutputAsync(source);
        var migration = Guid.NewGuid();
        var checkpointed = await PauseAsync(source, start, migration);
        Assert.NotNull(checkpointed.InlineChunks);

        target.Migrations.Restore(new RestoreWorkloadCommand(migration, start with { Generation = 2 }, checkpointed.ManifestJson!, garbage ? [1, 2, 3] : null));
        var failed = await FailureAsync(target);

        Assert.StartsWith(reason, failed.Reason);
        Assert.DoesNotContain(target.Hub.Statuses(start.WorkloadId), s => s.State == WorkloadState.Running);
    }

    /// <summary>Pauses the workload at the source for the final checkpoint; returns the source's Checkpointed report.</summary>
    private static async Task<MigrationReport> PauseAsync(AgentHarness source, StartWorkloadCommand start, Guid migration)
    {
        source.Migrations.Checkpoint(new CheckpointWorkloadCommand(migration, start.WorkloadId, start.Generation, Pause: true));
        await source.Hub.WaitUntilAsync(() => source.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.Checkpointed), "the final checkpoint");
        return source.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.Checkpointed);
    }

    private static async Task<MigrationReport> FailureAsync(AgentHarness target)
    {
        await target.Hub.WaitUntilAsync(() => target.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.Failed), "the failure");
        return target.Hub.Sent<MigrationReport>().Single(r => r.Kind == MigrationReportKind.Failed);
    }

    /// <summary>The end of a migration as the coordinator drives it: pause at the source, restore at the target under generation 2, discard the source.</summary>
    private static async Task PauseRestoreAndFinishAsync(AgentHarness source, AgentHarness target, StartWorkloadCommand start, Guid migration)
    {
        var checkpointed = await PauseAsync(source, start, migration);
        // The final delta is small: it travels with the report, not through the chunk store (the server forwards it).
        Assert.NotNull(checkpointed.InlineChunks);
        Assert.All(ChunkBatch.Read(checkpointed.InlineChunks), c => Assert.False(source.ControlPlane.Chunks.ContainsKey(c.Hash), "an inline chunk is not uploaded as well"));
        target.Migrations.Restore(new RestoreWorkloadCommand(migration, start with { Generation = 2 }, checkpointed.ManifestJson!, checkpointed.InlineChunks));
        await target.Hub.WaitUntilAsync(() => target.Hub.Sent<MigrationReport>().Any(r => r.Kind == MigrationReportKind.Restored), "the restore");
        source.Host.Discard(new WorkloadRef(start.WorkloadId, start.Generation));
        await target.Hub.WaitForFinalAsync(start.WorkloadId);
    }
}
