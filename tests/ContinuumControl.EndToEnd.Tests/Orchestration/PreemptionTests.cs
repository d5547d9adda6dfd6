using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Orchestration;

/// <summary>
/// A node with one slot: a High workload arriving while a Low one runs preempts it at a safe point; the High one runs
/// first, the Low one resumes from its in-memory checkpoint afterwards, and both outputs are exactly as expected.
/// </summary>
public sealed class PreemptionTests(PreemptionTests.Cluster cluster) : IClassFixture<PreemptionTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-one-slot", "Edge")];

        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:Slots=1"];
    }

    [Fact]
    public async Task HighPriorityArrival_PreemptsLow_BothOutputsCorrect()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var low = await cluster.DeployAsync(hash, args: ["30"], priority: "Low");
        await cluster.WaitForOutputAsync(low.Id, 100);

        var high = await cluster.DeployAsync(hash, args: ["3"], priority: "High");
        await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(low.Id)).State == WorkloadState.Suspended, TimeSpan.FromSeconds(30), "the Low workload to be suspended");
        var highDone = await cluster.WaitFinishedAsync(high.Id);
        var lowWhenHighDone = await cluster.WorkloadAsync(low.Id);
        var lowDone = await cluster.WaitFinishedAsync(low.Id, timeoutSeconds: 120);

        Assert.Equal(WorkloadState.Completed, highDone.State);
        Assert.False(lowWhenHighDone.State == WorkloadState.Completed, "the Low workload finished before the High one: it was not preempted");
        Assert.Equal(WorkloadState.Completed, lowDone.State);
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello-3.stdout")), await cluster.OutputAsync(high.Id));
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello.stdout")), await cluster.OutputAsync(low.Id));
    }
}
