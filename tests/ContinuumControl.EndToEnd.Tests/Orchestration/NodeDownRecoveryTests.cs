using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Orchestration;

/// <summary>
/// kill -9 of the agent running a long workload: the NodeDown policy resumes it on the other node from its last
/// periodic checkpoint, it finishes with output identical to an uninterrupted run, and when the lost agent returns its
/// stale copy is discarded rather than run a second time.
/// </summary>
public sealed class NodeDownRecoveryTests(NodeDownRecoveryTests.Cluster cluster) : IClassFixture<NodeDownRecoveryTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-a", "Edge"), ("edge-b", "Edge")];

        protected override IReadOnlyList<string> ServerArgs => [.. base.ServerArgs, "--Orchestration:Policies:NodeDown:CheckpointIntervalSeconds=1"];
    }

    [Fact]
    public async Task KilledNode_ItsWorkloadFinishesElsewhere_FromTheLastCheckpoint_OutputIdentical()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var workload = await cluster.DeployAsync(hash, args: ["60"]);
        var lostName = (await cluster.WorkloadAsync(workload.Id)).NodeName!;
        await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(workload.Id)).CheckpointedAt is not null && (await cluster.OutputAsync(workload.Id)).Length > 200,
            TimeSpan.FromSeconds(60), "a periodic checkpoint and some output");
        var checkpointed = await cluster.WorkloadAsync(workload.Id);

        cluster.KillAgent(lostName);
        var finished = await cluster.WaitFinishedAsync(workload.Id, timeoutSeconds: 150);

        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{cluster.Diagnostics()}");
        Assert.NotEqual(lostName, finished.NodeName);
        Assert.Equal(checkpointed.Generation + 1, finished.Generation);
        var reference = await cluster.DeployAsync(hash, args: ["60"]);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(reference.Id, timeoutSeconds: 150)).State);
        Assert.Equal(await cluster.OutputAsync(reference.Id), await cluster.OutputAsync(workload.Id));
        var evaluations = await cluster.Api.GetFromJsonAsync<List<EvaluationDto>>("/api/evaluations");
        var recovery = evaluations!.Where(e => e.Trigger == EvaluationTrigger.NodeDown).SelectMany(e => e.Plan!.Items).Single(i => i.WorkloadId == workload.Id && i.Outcome == PlanOutcome.Committed);
        Assert.Contains("resumed from the checkpoint", recovery.OutcomeReason);

        // The lost agent comes back empty-handed (its process died); it rejoins and nothing runs twice.
        cluster.StartAgent(lostName, "Edge");
        await cluster.WaitForNodeAsync(lostName, NodeState.Ready);
        Assert.Equal(finished.Generation, (await cluster.WorkloadAsync(workload.Id)).Generation);
    }
}
