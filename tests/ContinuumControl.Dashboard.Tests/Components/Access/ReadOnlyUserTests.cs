using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Access;

/// <summary>A user whose token lacks the write scope is offered no action anywhere (the control plane refuses them too).</summary>
public sealed class ReadOnlyUserTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    public ReadOnlyUserTests()
    {
        Authorization.SetPolicies();
    }

    [Fact]
    public void PoolPage_ReadOnly_OffersNoDeployNodeMenuOrDrag()
    {
        var workload = TestData.Workload("sensor", _edge);
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], [workload], []);

        var cut = Render<PoolPage>();

        cut.WaitForAssertion(() =>
        {
            var card = cut.Find($"[data-testid=workload-{workload.Id}]");
            Assert.Equal("false", card.GetAttribute("draggable"));
            Assert.DoesNotContain("drag onto another node", card.GetAttribute("title"));
        });
        Assert.Empty(cut.FindAll("[data-testid=deploy-open]"));
        Assert.Empty(cut.FindAll("[data-testid^=node-menu-]"));
    }

    [Fact]
    public void PoolPage_Operator_OffersDeployAndNodeMenu()
    {
        Authorization.SetPolicies(DashboardPolicies.Change);
        Client.Snapshot = new DashboardSnapshot([_edge], [], []);

        var cut = Render<PoolPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("[data-testid=deploy-open]"));
            Assert.NotEmpty(cut.FindAll("[data-testid=node-menu-edge-1]"));
        });
    }

    [Fact]
    public void WorkloadPanel_ReadOnly_SaysWhyAndOffersNoStopDeletePinOrMove()
    {
        var workload = TestData.Workload("sensor", _edge);

        var cut = Render<WorkloadPanel>(p => p.Add(x => x.Workload, workload).Add(x => x.Nodes, [_edge, _cloud]));

        cut.WaitForAssertion(() => Assert.Contains("lacks the write scope", cut.Find("[data-testid=workload-read-only]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=workload-stop]"));
        Assert.Empty(cut.FindAll("[data-testid=workload-delete]"));
        Assert.Empty(cut.FindAll("[data-testid=workload-pin]"));
        Assert.Empty(cut.FindAll("[data-testid=migrate-form]"));
    }

    [Fact]
    public void OrchestrationPage_ReadOnly_ListsPoliciesWithoutPauseOrRun()
    {
        Client.Policies.Add(TestData.Policy("Rebalance"));
        Client.Snapshot = new DashboardSnapshot([_edge], [], []);

        var cut = Render<OrchestrationPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=policy-row-Rebalance]")));
        Assert.Empty(cut.FindAll("[data-testid=policy-pause-Rebalance]"));
        Assert.Empty(cut.FindAll("[data-testid=policy-run-Rebalance]"));
    }
}
