using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class PoolPageOperatorTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    private IRenderedComponent<PoolPage> RenderPool(IReadOnlyList<NodeDto> nodes, params WorkloadDto[] workloads)
    {
        Client.Snapshot = new DashboardSnapshot(nodes, workloads, []);
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));
        return cut;
    }

    private static void ChooseFromNodeMenu(IRenderedComponent<PoolPage> cut, IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> providers, string node, string item)
    {
        cut.WaitForElement($"[data-testid=node-menu-{node}]").Click();
        providers.WaitForElement($"[data-testid={item}]").Click();
    }

    [Theory]
    [InlineData(NodeState.Ready, "node-cordon", "Cordon", "Cordoned", "is cordoned")]
    [InlineData(NodeState.Ready, "node-drain", "Drain", "Draining", "is draining")]
    [InlineData(NodeState.Cordoned, "node-uncordon", "Uncordon", "Ready", "takes work again")]
    [InlineData(NodeState.Draining, "node-uncordon", "Uncordon", "Ready", "takes work again")]
    public void NodeMenu_Action_CallsControlPlaneAndShowsNewState(NodeState from, string item, string action, string to, string said)
    {
        var providers = RenderProviders();
        var node = _edge with { State = from };
        var cut = RenderPool([node, _cloud]);

        ChooseFromNodeMenu(cut, providers, "edge-1", item);

        cut.WaitForAssertion(() => Assert.Equal(to, cut.Find("[data-testid=node-edge-1]").GetAttribute("data-state")));
        Assert.Equal([(action, node.Id)], Client.NodeActions);
        Assert.Contains($"edge-1 {said}", providers.WaitForElement("[data-testid=node-action-done]").TextContent);
        Assert.Contains(to, cut.Find("[data-testid=node-edge-1] [data-testid=state-chip]").TextContent);
    }

    [Fact]
    public void Drain_Accepted_CardSaysWorkloadsAreMovedAway()
    {
        var providers = RenderProviders();
        var cut = RenderPool([_edge, _cloud], TestData.Workload("sensor", _edge));

        ChooseFromNodeMenu(cut, providers, "edge-1", "node-drain");

        cut.WaitForAssertion(() => Assert.Contains("workloads are being moved", cut.Find("[data-testid=node-edge-1] [data-testid=node-state-hint]").TextContent));
    }

    [Fact]
    public void NodeAction_Refused_ShowsReasonAndKeepsState()
    {
        var providers = RenderProviders();
        Client.NodeAction = (_, _) => throw new ControlPlaneException("edge-1 runs a pinned workload (sensor); unpin it or cordon the node instead.");
        var cut = RenderPool([_edge, _cloud]);

        ChooseFromNodeMenu(cut, providers, "edge-1", "node-drain");

        var refused = providers.WaitForElement("[data-testid=node-action-refused]");
        Assert.Contains("Cannot drain edge-1: edge-1 runs a pinned workload (sensor); unpin it or cordon the node instead.", refused.TextContent);
        Assert.Equal("Ready", cut.Find("[data-testid=node-edge-1]").GetAttribute("data-state"));
        Assert.Equal("false", cut.Find("[data-testid=node-actions-edge-1]").GetAttribute("data-busy"));
    }

    [Fact]
    public void NodeAction_Unreachable_SaysTheRequestDidNotGetThrough()
    {
        var providers = RenderProviders();
        Client.NodeAction = (_, _) => throw new HttpRequestException("connection refused");
        var cut = RenderPool([_edge]);

        ChooseFromNodeMenu(cut, providers, "edge-1", "node-cordon");

        Assert.Contains("did not reach the control plane (connection refused)", providers.WaitForElement("[data-testid=node-action-refused]").TextContent);
    }

    [Fact]
    public void NodeAction_InFlight_ShowsProgressAndDisablesTheMenu()
    {
        var providers = RenderProviders();
        var answer = new TaskCompletionSource();
        Client.Hold = answer.Task;
        var cut = RenderPool([_edge]);

        ChooseFromNodeMenu(cut, providers, "edge-1", "node-cordon");

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=node-actions-edge-1]").GetAttribute("data-busy")));
        Assert.NotNull(cut.Find("[data-testid=node-busy]"));
        Assert.True(cut.Find("[data-testid=node-menu-edge-1]").HasAttribute("disabled"));

        answer.SetResult();

        cut.WaitForAssertion(() => Assert.Equal("Cordoned", cut.Find("[data-testid=node-edge-1]").GetAttribute("data-state")));
        Assert.Empty(cut.FindAll("[data-testid=node-busy]"));
        Assert.Single(Client.NodeActions);
    }

    [Fact]
    public void NodeMenu_ReadyNode_OffersCordonAndDrainButNotUncordon()
    {
        var providers = RenderProviders();
        var cut = RenderPool([_edge]);

        cut.WaitForElement("[data-testid=node-menu-edge-1]").Click();

        providers.WaitForAssertion(() =>
        {
            Assert.False(IsDisabled(providers.Find("[data-testid=node-cordon]")));
            Assert.False(IsDisabled(providers.Find("[data-testid=node-drain]")));
            Assert.True(IsDisabled(providers.Find("[data-testid=node-uncordon]")));
        });
    }

    [Fact]
    public void Watch_NodeCordonedElsewhere_CardShowsCordonedWithHint()
    {
        var cut = RenderPool([_edge]);

        Client.Upsert(_edge with { State = NodeState.Cordoned });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Cordoned", cut.Find("[data-testid=node-edge-1]").GetAttribute("data-state"));
            Assert.Contains("takes no new workloads", cut.Find("[data-testid=node-state-hint]").TextContent);
        });
    }

    [Fact]
    public void Pin_FromPanel_CallsControlPlaneAndShowsPinOnCard()
    {
        var providers = RenderProviders();
        var workload = TestData.Workload("sensor", _edge);
        var cut = RenderPool([_edge], workload);
        cut.WaitForElement($"[data-testid=workload-{workload.Id}]").Click();

        cut.WaitForElement("[data-testid=workload-pin]").Click();

        cut.WaitForAssertion(() =>
        {
            var card = cut.Find($"[data-testid=workload-{workload.Id}]");
            Assert.Equal("true", card.GetAttribute("data-pinned"));
            Assert.NotNull(card.QuerySelector("[data-testid=workload-pinned]"));
            Assert.Equal("true", cut.Find("[data-testid=workload-pin]").GetAttribute("data-pinned"));
            Assert.Contains("Unpin", cut.Find("[data-testid=workload-pin]").TextContent);
        });
        Assert.Contains("Pinned sensor to edge-1", providers.WaitForElement("[data-testid=pin-done]").TextContent);

        cut.Find("[data-testid=workload-pin]").Click();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find($"[data-testid=workload-{workload.Id}]").GetAttribute("data-pinned")));
        Assert.Empty(cut.FindAll($"[data-testid=workload-{workload.Id}] [data-testid=workload-pinned]"));
        Assert.Equal([(workload.Id, true), (workload.Id, false)], Client.PinCalls);
    }

    private static bool IsDisabled(AngleSharp.Dom.IElement item) => item.GetAttribute("aria-disabled") == "true";
}
