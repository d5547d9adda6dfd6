using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class PoolPageTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    [Fact]
    public void Render_Snapshot_GroupsNodesByClassWithTheirWorkloads()
    {
        var onEdge = TestData.Workload("sensor-filter", _edge);
        var onCloud = TestData.Workload("batch-primes", _cloud, state: WorkloadState.Completed, exitCode: 0);
        var refused = TestData.Workload("too-big", node: null, state: WorkloadState.Failed, failureReason: "No node fits: memory");
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], [onEdge, onCloud, refused], []);

        var cut = Render<PoolPage>();

        cut.WaitForAssertion(() =>
        {
            var edge = cut.Find("[data-testid=edge-nodes]");
            var edgeNode = edge.QuerySelector("[data-testid=node-edge-1]");
            Assert.NotNull(edgeNode);
            Assert.Equal("Ready", edgeNode.GetAttribute("data-state"));
            Assert.NotNull(edgeNode.QuerySelector($"[data-testid=workload-{onEdge.Id}]"));
            Assert.Null(edge.QuerySelector("[data-testid=node-cloud-1]"));

            var edgeCard = edgeNode.QuerySelector($"[data-testid=workload-{onEdge.Id}]")!;
            Assert.Equal("sensor-filter", edgeCard.GetAttribute("data-workload-name"));
            Assert.Equal("true", edgeCard.GetAttribute("draggable"));
            Assert.Equal("1 running · 0 queued · 0 suspended", edgeNode.QuerySelector("[data-testid=node-workload-counts]")!.TextContent.Trim());

            // Finished workloads are on the Workloads page, not on their node's card.
            var cloudNode = cut.Find("[data-testid=cloud-nodes] [data-testid=node-cloud-1]");
            Assert.Null(cloudNode.QuerySelector($"[data-testid=workload-{onCloud.Id}]"));
            Assert.Equal("0 running · 0 queued · 0 suspended", cloudNode.QuerySelector("[data-testid=node-workload-counts]")!.TextContent.Trim());

            Assert.NotNull(cut.Find("[data-testid=unplaced-workloads]").QuerySelector($"[data-testid=workload-{refused.Id}]"));
        });
    }

    [Fact]
    public void Render_Prerendering_ShowsSnapshotWithoutWatching()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Client.Snapshot = new DashboardSnapshot([_edge], [], []);

        var cut = Render<PoolPage>();

        Assert.NotNull(cut.Find("[data-testid=edge-nodes] [data-testid=node-edge-1]"));
        Assert.Equal(0, Client.WatcherCount);
    }

    [Fact]
    public void Render_Interactive_MarksPoolInteractive()
    {
        var cut = Render<PoolPage>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#pool").GetAttribute("data-interactive")));
    }

    [Fact]
    public void Watch_ChangesPushed_UpdatePageWithoutOutsideRender()
    {
        var workload = TestData.Workload("sensor-filter", _edge, state: WorkloadState.Pending);
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], [workload], []);
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.Upsert(workload with { State = WorkloadState.Running });
        Client.Upsert(_cloud with { State = NodeState.Down });
        var fresh = TestData.Workload("fresh", _cloud);
        Client.Upsert(fresh);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Running", cut.Find($"[data-testid=workload-{workload.Id}]").GetAttribute("data-state"));
            Assert.Equal("Down", cut.Find("[data-testid=node-cloud-1]").GetAttribute("data-state"));
            Assert.NotNull(cut.Find("[data-testid=node-cloud-1]").QuerySelector($"[data-testid=workload-{fresh.Id}]"));
        });

        Client.Publish(new ClusterChange(ClusterChangeKind.WorkloadRemoved, RemovedId: workload.Id));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-testid=workload-{workload.Id}]")));
    }

    [Fact]
    public void Watch_NodeJoins_AppearsInItsClassSection()
    {
        Client.Snapshot = new DashboardSnapshot([_edge], [], []);
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.Upsert(TestData.Node("cloud-7", NodeClass.Cloud));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=cloud-nodes] [data-testid=node-cloud-7]")));
    }

    [Fact]
    public void Watch_StreamBreaks_ShowsWarningAndResubscribes()
    {
        Client.Snapshot = new DashboardSnapshot([_edge], [], []);
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.FailWatchers(new IOException("connection lost"));

        cut.WaitForAssertion(() => Assert.Contains("connection lost", cut.Find("[data-testid=watch-error]").TextContent));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=watch-error]")));
        Assert.Equal(1, Client.WatcherCount);
    }

    [Fact]
    public async Task Dispose_Page_StopsWatching()
    {
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        await DisposeComponentsAsync();

        cut.WaitForAssertion(() => Assert.Equal(0, Client.WatcherCount));
    }

    [Fact]
    public void Click_WorkloadCard_OpensPanelThatFollowsChanges()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        Client.Snapshot = new DashboardSnapshot([_edge], [workload], []);
        var cut = Render<PoolPage>();

        cut.WaitForElement($"[data-testid=workload-{workload.Id}]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Running", cut.Find("[data-testid=workload-panel]").GetAttribute("data-state")));

        Client.Upsert(workload with { State = WorkloadState.Failed, FailureReason = "trap: out of bounds memory access" });

        cut.WaitForAssertion(() => Assert.Contains("out of bounds memory access", cut.Find("[data-testid=failure-reason]").TextContent));
    }

    [Fact]
    public void Deploy_Refused_ShowsReasonInDialog()
    {
        var providers = RenderProviders();
        Client.Snapshot = new DashboardSnapshot([_edge], [], [TestData.Module()]);
        Client.Deploy = _ => throw new ControlPlaneException("No node can take this workload: edge-1: needs 4096 MiB, 512 MiB free.");
        var cut = Render<PoolPage>();

        cut.WaitForElement("[data-testid=deploy-open]").Click();
        providers.WaitForElement("[data-testid=deploy-submit]").Click();

        providers.WaitForAssertion(() => Assert.Contains("edge-1: needs 4096 MiB, 512 MiB free.", providers.Find("[data-testid=deploy-error]").TextContent));
        Assert.Single(Client.Deployed);
    }

    [Fact]
    public void Deploy_FormFilled_SendsParsedRequestAndSelectsWorkload()
    {
        var providers = RenderProviders();
        var module = TestData.Module();
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], [], [module]);
        WorkloadDto? created = null;
        Client.Deploy = request => created = TestData.Workload(request.Name ?? "x", _cloud, state: WorkloadState.Pending);
        var cut = Render<PoolPage>();

        cut.WaitForElement("[data-testid=deploy-open]").Click();
        providers.WaitForElement("[data-testid=deploy-name]").Change("primes");
        providers.Find("[data-testid=deploy-args]").Change("--limit 1000 \"two words\"");
        providers.Find("[data-testid=deploy-env]").Change("MODE=fast\nLEVEL=3");
        providers.Find("[data-testid=deploy-labels]").Change("zone=a, gpu=no");
        providers.Find("[data-testid=deploy-submit]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=workload-panel]")));
        var request = Assert.Single(Client.Deployed);
        Assert.Equal(module.Hash, request.ModuleHash);
        Assert.Equal("primes", request.Name);
        Assert.Equal(["--limit", "1000", "two words"], request.Args);
        Assert.Equal("3", request.Env!["LEVEL"]);
        Assert.Equal("a", request.Labels!["zone"]);
        Assert.Equal(64, request.MemoryLimitMiB);
        Assert.Null(request.Class);
        Assert.Equal(created!.Id.ToString(), cut.Find("[data-testid=workload-panel]").GetAttribute("data-workload-id"));
    }

    [Fact]
    public void Deploy_BadEnvLine_ShowsErrorAndSendsNothing()
    {
        var providers = RenderProviders();
        Client.Snapshot = new DashboardSnapshot([_edge], [], [TestData.Module()]);
        var cut = Render<PoolPage>();

        cut.WaitForElement("[data-testid=deploy-open]").Click();
        providers.WaitForElement("[data-testid=deploy-env]").Change("NOEQUALS");
        providers.Find("[data-testid=deploy-submit]").Click();

        providers.WaitForAssertion(() => Assert.Contains("\"NOEQUALS\" is not KEY=VALUE", providers.Find("[data-testid=deploy-error]").TextContent));
        Assert.Empty(Client.Deployed);
    }

    [Fact]
    public void Deploy_PriorityChosen_IsSent()
    {
        var providers = RenderProviders();
        Client.Snapshot = new DashboardSnapshot([_edge], [], [TestData.Module()]);
        Client.Deploy = request => TestData.Workload(request.Name ?? "x", _edge, state: WorkloadState.Pending) with { Priority = Enum.Parse<WorkloadPriority>(request.Priority ?? "Normal") };
        var cut = Render<PoolPage>();

        cut.WaitForElement("[data-testid=deploy-open]").Click();
        Assert.Equal("Normal", providers.WaitForElement("[data-testid=deploy-priority]").GetAttribute("data-value"));
        providers.Find("[data-testid=deploy-priority-High]").Click();
        providers.WaitForAssertion(() => Assert.Equal("High", providers.Find("[data-testid=deploy-priority]").GetAttribute("data-value")));
        providers.Find("[data-testid=deploy-submit]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=workload-panel]")));
        Assert.Equal("High", Assert.Single(Client.Deployed).Priority);
        Assert.Equal("High", cut.Find("[data-testid=workload-details-priority]").TextContent);
    }

    [Fact]
    public void Deploy_PriorityUntouched_SendsNormal()
    {
        var providers = RenderProviders();
        Client.Snapshot = new DashboardSnapshot([_edge], [], [TestData.Module()]);
        Client.Deploy = request => TestData.Workload(request.Name ?? "x", _edge, state: WorkloadState.Pending);
        var cut = Render<PoolPage>();

        cut.WaitForElement("[data-testid=deploy-open]").Click();
        providers.WaitForElement("[data-testid=deploy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Normal", Assert.Single(Client.Deployed).Priority));
    }
}
