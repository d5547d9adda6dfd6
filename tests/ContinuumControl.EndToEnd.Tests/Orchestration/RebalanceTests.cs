using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Orchestration;

/// <summary>
/// Four workloads crowded on one of three nodes: the Rebalance policy spreads them with live migrations, and running
/// it again moves nothing more (no ping-pong). Every moved workload's output equals an unmoved one's.
/// </summary>
public sealed class RebalanceTests(RebalanceTests.Cluster cluster) : IClassFixture<RebalanceTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("node-1", "Edge"), ("node-2", "Edge"), ("node-3", "Edge")];

        // Enabled but on a slow schedule: the test runs it when it wants with "run now".
        protected override IReadOnlyList<string> ServerArgs =>
            ["--Orchestration:Policies:Offload:Enabled=false", "--Orchestration:Policies:EnergyLow:Enabled=false", "--Orchestration:Policies:Rebalance:Schedule=0 0 * * *"];

        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:Slots=4", "--Agent:Cores=4"];
    }

    [Fact]
    public async Task CrowdedNode_IsSpread_AndASecondRunMovesNothing()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        await cluster.SetNodeAsync("node-2", "cordon");
        await cluster.SetNodeAsync("node-3", "cordon");
        var crowd = new List<WorkloadDto>();
        for (var i = 0; i < 4; i++)
        {
            crowd.Add(await cluster.DeployAsync(hash, args: ["70"], memoryLimitMiB: 32));
        }
        Assert.All(crowd, w => Assert.Equal("node-1", w.NodeName));
        foreach (var w in crowd)
        {
            await cluster.WaitForOutputAsync(w.Id, 1);
        }
        await cluster.SetNodeAsync("node-2", "uncordon");
        await cluster.SetNodeAsync("node-3", "uncordon");

        await cluster.RunPolicyAsync("Rebalance");
        await cluster.WaitUntilAsync(async () => (await cluster.MigrationsAsync()).Count(m => m.Trigger == MigrationTrigger.Rebalance) >= 2, TimeSpan.FromSeconds(30), "rebalance migrations");
        var first = (await cluster.MigrationsAsync()).Where(m => m.Trigger == MigrationTrigger.Rebalance).ToList();
        foreach (var m in first)
        {
            var finished = await cluster.WaitMigrationAsync(m.Id);
            Assert.True(finished.Phase == MigrationPhase.Completed, $"migration {m.Id} ended {finished.Phase}: {finished.Reason}");
        }
        var spread = (await Task.WhenAll(crowd.Select(w => cluster.WorkloadAsync(w.Id)))).GroupBy(w => w.NodeName).ToDictionary(g => g.Key!, g => g.Count());
        Assert.True(spread.Count == 3 && spread.Values.Max() - spread.Values.Min() <= 1, $"not spread: {string.Join(", ", spread)}");

        // No ping-pong: two more runs, each waited for until it is recorded, start no migration.
        for (var run = 0; run < 2; run++)
        {
            var result = await cluster.RunPolicyAsync("Rebalance");
            var rebalances = (await cluster.MigrationsAsync()).Count(m => m.Trigger == MigrationTrigger.Rebalance);
            Assert.True(rebalances == first.Count, $"run {run + 2} of Rebalance started {rebalances - first.Count} more migrations: {result}");
        }

        var outputs = new List<byte[]>();
        foreach (var w in crowd)
        {
            Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(w.Id, timeoutSeconds: 180)).State);
            outputs.Add(await cluster.OutputAsync(w.Id));
        }
        Assert.All(outputs, o => Assert.Equal(outputs[0], o));
    }
}
