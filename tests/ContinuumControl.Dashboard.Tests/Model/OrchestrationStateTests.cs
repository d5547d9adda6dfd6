using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class OrchestrationStateTests
{
    private readonly NodeDto _edge = TestData.Node("edge-1");

    private OrchestrationState Loaded(params PolicyDto[] policies)
    {
        var state = new OrchestrationState();
        state.Load(new DashboardSnapshot([_edge], [], []), policies, []);
        return state;
    }

    [Fact]
    public void Apply_PolicyUpserted_ReplacesByName()
    {
        var state = Loaded(TestData.Policy("Rebalance"), TestData.Policy("Drain"));

        Assert.True(state.Apply(new ClusterChange(ClusterChangeKind.PolicyUpserted, Policy: TestData.Policy("rebalance", paused: true))));

        Assert.Equal(["Drain", "rebalance"], state.Policies.Select(p => p.Name));
        Assert.True(state.Policies.Single(p => p.Name == "rebalance").Paused);
    }

    [Fact]
    public void Apply_Heartbeat_KeepsNamesWithoutAskingForARender()
    {
        var state = Loaded();

        var rendered = state.Apply(new ClusterChange(ClusterChangeKind.NodeUpserted, Node: _edge with { Name = "edge-1b" }));

        Assert.False(rendered);
        Assert.Equal("edge-1b", state.NodeName(_edge.Id));
    }

    [Fact]
    public void NodeName_UnknownNode_ShowsShortId()
    {
        var state = Loaded();
        var id = Guid.NewGuid();

        Assert.Equal(id.ToString("N")[..8], state.NodeName(id));
        Assert.Equal("", state.NodeName(null));
    }

    [Fact]
    public void Apply_MigrationUpserted_IsKeptForTheTimeline()
    {
        var state = Loaded();
        var workload = TestData.Workload("sensor", _edge);
        var migration = TestData.Migration(workload, TestData.Node("cloud-1", NodeClass.Cloud)) with { Trigger = MigrationTrigger.Rebalance };

        Assert.True(state.Apply(new ClusterChange(ClusterChangeKind.MigrationUpserted, Migration: migration)));

        Assert.Equal(migration.Id, Assert.Single(state.Cluster.Migrations.Newest).Id);
    }
}
