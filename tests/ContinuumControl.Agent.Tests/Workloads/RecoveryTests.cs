using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Tests.Workloads;

/// <summary>Periodic checkpoints into the control plane's chunk store, and recovery from one on another node.</summary>
public class RecoveryTests
{
    [Fact]
    public async Task Recover_FromAPeriodicCheckpointOfALostNode_ContinuesWithIdenticalOutput()
    {
        var controlPlane = new FakeControlPlane();
        var lost = new AgentHarness(controlPlane, slots: 1, name: "edge-1");
        var start = lost.Command("hello", WorkloadPriority.Normal, checkpointIntervalMs: 400);
        lost.Host.Start(start);
        await lost.Hub.WaitUntilAsync(() => lost.Hub.Sent<CheckpointReport>().Any(), "a periodic checkpoint");
        var checkpoint = lost.Hub.Sent<CheckpointReport>()[0];
        var outputBeforeLoss = lost.Hub.Stdout(start.WorkloadId);
        await lost.DisposeAsync();

        await using var survivor = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");
        var recovered = start with { Generation = 2 };
        await survivor.Recovery.RecoverAsync(new RecoverWorkloadCommand(recovered, checkpoint.ManifestJson));
        await survivor.Hub.WaitForFinalAsync(start.WorkloadId);

        Assert.Equal((start.WorkloadId, 1L), (checkpoint.WorkloadId, checkpoint.Generation));
        Assert.True(checkpoint.BytesWritten > 0);
        var manifest = CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(checkpoint.ManifestJson));
        Assert.True(outputBeforeLoss.Length >= manifest.Wasi.StdoutOffset, "output up to the checkpoint went out before its report");
        Assert.Equal([WorkloadState.Running, WorkloadState.Completed], survivor.Hub.States(start.WorkloadId));
        Assert.All(survivor.Hub.Sent<OutputAppend>(), o => Assert.Equal(2, o.Generation));
        Assert.Equal(manifest.Wasi.StdoutOffset, survivor.Hub.Sent<OutputAppend>().Min(o => o.Offset));
        Assert.Equal(Samples.ExpectedStdout("hello"), survivor.Hub.Stdout(start.WorkloadId, before: outputBeforeLoss[..(int)manifest.Wasi.StdoutOffset]));
    }

    [Fact]
    public async Task PeriodicCheckpoint_RefusedForMissingChunks_NextOneUploadsEveryChunkAgain()
    {
        // The control plane restarted and lost this agent's chunks; it refuses the first report and says so.
        var controlPlane = new FakeControlPlane();
        await using var agent = new AgentHarness(controlPlane, slots: 1);
        var refused = 0;
        agent.Hub.Answer = (method, _) =>
        {
            if (method != nameof(IAgentHub.ReportCheckpoint))
            {
                return null;
            }
            if (Interlocked.Exchange(ref refused, 1) == 1)
            {
                return new CheckpointAck(true);
            }
            controlPlane.Chunks.Clear();
            return new CheckpointAck(false, ChunksMissing: true, Reason: "the control plane does not have chunk x");
        };
        // 1 MiB of which 4 pages change: the other pages keep their chunks from one checkpoint to the next.
        var start = agent.Command("working-set", WorkloadPriority.Normal, args: ["60000", "1", "4", "8", "7"], checkpointIntervalMs: 250);
        agent.Host.Start(start);

        // Unchanged pages (code, data) are never uploaded again unless the agent forgets what it uploaded.
        await agent.Hub.WaitUntilAsync(() => agent.Hub.Sent<CheckpointReport>().Skip(1).Any(r => ChunksOf(r).All(controlPlane.Chunks.ContainsKey)),
            "a checkpoint after the refusal whose chunks are all in the control plane's store", timeoutMs: 20_000);
    }

    private static IEnumerable<string> ChunksOf(CheckpointReport report) =>
        CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(report.ManifestJson)).ChunkHashes();

    [Fact]
    public async Task Recover_ManifestIsNotJson_ReportsFailedWithTheReason()
    {
        await using var agent = new AgentHarness(new FakeControlPlane(), slots: 1);
        var start = agent.Command("hello", WorkloadPriority.Normal, generation: 3);

        await agent.Recovery.RecoverAsync(new RecoverWorkloadCommand(start, "{not json"));
        await agent.Hub.WaitForFinalAsync(start.WorkloadId);

        var report = Assert.Single(agent.Hub.Statuses(start.WorkloadId));
        Assert.Equal((WorkloadState.Failed, 3L), (report.State, report.Generation));
        Assert.StartsWith("recovery on this node failed: its checkpoint manifest is unusable: the checkpoint manifest is truncated or not valid JSON", report.Reason);
    }

    [Fact]
    public async Task Recover_ChunksMissingFromTheControlPlane_ReportsFailed()
    {
        var controlPlane = new FakeControlPlane();
        await using var source = new AgentHarness(controlPlane, slots: 1);
        var start = source.Command("hello", WorkloadPriority.Normal, checkpointIntervalMs: 300);
        source.Host.Start(start);
        await source.Hub.WaitUntilAsync(() => source.Hub.Sent<CheckpointReport>().Any(), "a periodic checkpoint");
        var manifestJson = source.Hub.Sent<CheckpointReport>()[0].ManifestJson;
        controlPlane.Chunks.Clear();
        await using var target = new AgentHarness(controlPlane, slots: 1, name: "cloud-1");

        await target.Recovery.RecoverAsync(new RecoverWorkloadCommand(start with { Generation = 2 }, manifestJson));
        await target.Hub.WaitForFinalAsync(start.WorkloadId);

        var report = Assert.Single(target.Hub.Statuses(start.WorkloadId));
        Assert.Equal(WorkloadState.Failed, report.State);
        Assert.Contains("the control plane lacks a chunk of the checkpoint", report.Reason);
    }
}
