using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Orchestration;

/// <summary>
/// An energy-harvesting edge node whose store drains: the EnergyLow policy migrates its work to a mains-powered node
/// before the store reaches the level at which the node would have to suspend it, and the output is intact.
/// </summary>
public sealed class EnergyLowTests(EnergyLowTests.Cluster cluster) : IClassFixture<EnergyLowTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("solar-edge", "Edge"), ("mains-cloud", "Cloud")];

        protected override IReadOnlyList<string> ServerArgs =>
        [
            "--Orchestration:Policies:Rebalance:Enabled=false", "--Orchestration:Policies:Offload:Enabled=false",
            "--Orchestration:Policies:EnergyLow:Schedule=* * * * * *",
            "--Orchestration:Scheduler:Energy:MinLevel=0.3", "--Orchestration:Scheduler:Energy:MinSecondsLeft=15",
        ];

        // 200 J store at 95 %, no harvest, 0.5 W idle + 8 W per running workload: with the work running the store falls
        // under the floor (15 s left) ~5-6 s after the deploy, and would reach the 5 % suspend level ~15 s after that;
        // the workload runs ~15 s or more, so it is still running when the policy must act.
        protected override IReadOnlyList<string> AgentArgs(string name) => name == "solar-edge"
            ? ["--Agent:Energy:Enabled=true", "--Agent:Energy:CapacityJoules=200", "--Agent:Energy:InitialLevel=0.95", "--Agent:Energy:HarvestWatts=0",
               "--Agent:Energy:IdleWatts=0.5", "--Agent:Energy:WattsPerRunningWorkload=8", "--Agent:Energy:SuspendLevel=0.05"]
            : [];
    }

    [Fact]
    public async Task DrainingStore_WorkMovesAway_BeforeTheNodeMustSuspendIt()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        await cluster.WaitUntilAsync(async () => (await cluster.NodeAsync("solar-edge")).Energy is not null, TimeSpan.FromSeconds(30), "the solar node's first energy report");
        // Placed on the solar node while the cloud node is cordoned; the work may then go anywhere.
        await cluster.SetNodeAsync("mains-cloud", "cordon");
        var workload = await cluster.DeployAsync(hash, args: ["150"]);
        await cluster.SetNodeAsync("mains-cloud", "uncordon");
        Assert.Equal("solar-edge", workload.NodeName);

        await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(workload.Id)).NodeName == "mains-cloud", TimeSpan.FromSeconds(60),
            "the EnergyLow policy to move the workload");
        var moved = (await cluster.MigrationsAsync()).Single(m => m.WorkloadId == workload.Id);
        Assert.Equal(MigrationTrigger.EnergyLow, moved.Trigger);
        Assert.Equal(MigrationPhase.Completed, moved.Phase);
        var level = (await cluster.NodeAsync("solar-edge")).Energy!.Level;
        Assert.True(level > 0.05, $"the store reached the suspend level ({level:P0}) before the work left");
        // The agent logs "suspending N running workloads" (store low) or "Suspending workload ..." (scheduler): either means the work stayed too long.
        Assert.DoesNotContain("suspending", cluster.AgentLog("solar-edge"), StringComparison.OrdinalIgnoreCase);

        var finished = await cluster.WaitFinishedAsync(workload.Id, timeoutSeconds: 150);
        Assert.Equal(WorkloadState.Completed, finished.State);
        var reference = await cluster.DeployAsync(hash, nodeClass: "Cloud", args: ["150"]);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(reference.Id, timeoutSeconds: 150)).State);
        Assert.Equal(await cluster.OutputAsync(reference.Id), await cluster.OutputAsync(workload.Id));
    }
}
