using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Orchestration;

/// <summary>
/// Two levels of scheduling between real processes: a one-slot agent's local scheduler queues a second workload
/// behind a long one, asks the control plane to offload it once it has waited past Agent:Scheduler:OffloadAfterMs,
/// and the Offload policy's evaluation places it on a node with a free slot. Both finish with their expected output.
/// </summary>
public sealed class OffloadTests(OffloadTests.Cluster cluster) : IClassFixture<OffloadTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("busy-edge", "Edge"), ("spare-edge", "Edge")];

        // Offload on (every 10 s, as shipped); the policies that would move work on their own stay off.
        protected override IReadOnlyList<string> ServerArgs =>
            ["--Orchestration:Policies:Rebalance:Enabled=false", "--Orchestration:Policies:EnergyLow:Enabled=false"];

        protected override IReadOnlyList<string> AgentArgs(string name) =>
            name == "busy-edge" ? ["--Agent:Slots=1", "--Agent:Scheduler:OffloadAfterMs=1000"] : [];
    }

    [Fact]
    public async Task QueuedBehindABusySlot_IsOffloadedToANodeWithRoom_AndBothFinishWithTheirOutput()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        await cluster.SetNodeAsync("spare-edge", "cordon");
        var longRun = await cluster.DeployAsync(hash, nodeClass: "Edge", args: ["150"]);
        await cluster.WaitForOutputAsync(longRun.Id, 1);
        var queued = await cluster.DeployAsync(hash, nodeClass: "Edge", args: ["3"]);
        Assert.Equal(("busy-edge", "busy-edge"), (longRun.NodeName, queued.NodeName));
        await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(queued.Id)).State == WorkloadState.Queued, TimeSpan.FromSeconds(30),
            "the one-slot agent to queue the second workload");
        await cluster.SetNodeAsync("spare-edge", "uncordon");

        await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(queued.Id)).NodeName == "spare-edge", TimeSpan.FromSeconds(60),
            "the Offload policy to move the queued workload to spare-edge");

        // The placement is in the database before the evaluation finishes applying (it still starts the copy): wait for that.
        EvaluationDto? offload = null;
        await cluster.WaitUntilAsync(async () =>
            (offload = (await cluster.Api.GetFromJsonAsync<List<EvaluationDto>>("/api/evaluations"))!
                .FirstOrDefault(e => e.Trigger == EvaluationTrigger.Offload && e.WorkloadId == queued.Id))?.Status is EvaluationStatus.Applied or EvaluationStatus.Failed,
            TimeSpan.FromSeconds(30), "the Offload evaluation of the workload to be applied");
        Assert.Equal(EvaluationStatus.Applied, offload!.Status);
        Assert.Contains("queued", offload.Reason, StringComparison.Ordinal);
        var placed = Assert.Single(offload.Plan!.Items, p => p.WorkloadId == queued.Id);
        Assert.Equal(("spare-edge", PlanOutcome.Committed), (placed.ToNodeName, placed.Outcome));

        var offloaded = await cluster.WaitFinishedAsync(queued.Id);
        Assert.Equal((WorkloadState.Completed, "spare-edge"), (offloaded.State, offloaded.NodeName));
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello-3.stdout")), await cluster.OutputAsync(queued.Id));
        var first = await cluster.WaitFinishedAsync(longRun.Id, 180);
        Assert.Equal((WorkloadState.Completed, "busy-edge"), (first.State, first.NodeName));
        Assert.DoesNotContain($"Workload {queued.Id} Completed", cluster.AgentLog("busy-edge"));
    }
}
