using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests;

/// <summary>A node whose agent is killed goes Down after its TTL; restarted, it rejoins under the same id.</summary>
public sealed class NodeLossEndToEndTests(NodeLossEndToEndTests.Cluster cluster) : IClassFixture<NodeLossEndToEndTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-loss", "Edge")];
    }

    [Fact]
    public async Task KilledAgent_GoesDown_ThenRejoinsWithSameId()
    {
        var before = await cluster.WaitForNodeAsync("edge-loss", NodeState.Ready);
        cluster.KillAgent("edge-loss");

        var down = await cluster.WaitForNodeAsync("edge-loss", NodeState.Down, TimeSpan.FromSeconds((LocalCluster.HeartbeatTtlSeconds + 1) * 3));
        Assert.Equal(before.Id, down.Id);

        cluster.StartAgent("edge-loss", "Edge");
        var back = await cluster.WaitForNodeAsync("edge-loss", NodeState.Ready);
        Assert.Equal(before.Id, back.Id);
    }
}
