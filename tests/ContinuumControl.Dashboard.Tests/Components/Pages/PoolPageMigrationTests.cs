using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;
using Microsoft.AspNetCore.Components.Web;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class PoolPageMigrationTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    private IRenderedComponent<PoolPage> RenderPool(params WorkloadDto[] workloads) => RenderPool([], workloads);

    private IRenderedComponent<PoolPage> RenderPool(IReadOnlyList<MigrationDto> migrations, params WorkloadDto[] workloads)
    {
        Client.Snapshot = new DashboardSnapshot([_edge, _cloud], workloads, [], migrations);
        var cut = Render<PoolPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));
        return cut;
    }

    private static void DragOnto(IRenderedComponent<PoolPage> cut, WorkloadDto workload, string nodeName)
    {
        cut.WaitForElement($"[data-testid=workload-{workload.Id}]").DragStart(new DragEventArgs());
        cut.Find($"[data-testid=node-{nodeName}]").Drop(new DragEventArgs());
    }

    [Fact]
    public void Render_NodeCards_SetAndClearDropHintInBrowser()
    {
        var cut = RenderPool();

        var node = cut.Find("[data-testid=node-cloud-1]");
        Assert.Equal("event.preventDefault()", node.GetAttribute("ondragover"));
        Assert.Contains("classList.add('cc-drop-over')", node.GetAttribute("ondragenter"));
        Assert.Contains("classList.remove('cc-drop-over')", node.GetAttribute("ondragleave"));
        Assert.Contains("classList.remove('cc-drop-over')", cut.Find("#pool").GetAttribute("ondragend"));
        Assert.Contains("classList.remove('cc-drop-over')", cut.Find("#pool").GetAttribute("ondrop"));
    }

    [Fact]
    public void Drop_OnReadyNode_AsksServerAndFollowsMigrationOnCard()
    {
        var providers = RenderProviders();
        var workload = TestData.Workload("sensor-filter", _edge);
        MigrationDto? started = null;
        Client.Migrate = (_, _) => started = TestData.Migration(workload, _cloud);
        var cut = RenderPool(workload);

        DragOnto(cut, workload, "cloud-1");

        Assert.Equal([(workload.Id, _cloud.Id)], Client.MigrateCalls);
        providers.WaitForAssertion(() => Assert.Contains("Moving sensor-filter from edge-1 to cloud-1", providers.Find("[data-testid=migration-started]").TextContent));
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-testid=workload-{workload.Id}] [data-testid=migration-{started!.Id}]");
            Assert.Equal("Requested", row.GetAttribute("data-phase"));
            Assert.Contains("cloud-1", row.TextContent);
        });
    }

    [Fact]
    public void Drop_ServerRefuses_ShowsItsReason()
    {
        var providers = RenderProviders();
        var workload = TestData.Workload("sensor-filter", _edge);
        Client.Migrate = (_, _) => throw new ControlPlaneException("cloud-1 lacks host capability wasi-nn; pick a node that has it.");
        var cut = RenderPool(workload);

        DragOnto(cut, workload, "cloud-1");

        providers.WaitForAssertion(() => Assert.Contains("cloud-1 lacks host capability wasi-nn", providers.Find("[data-testid=migration-refused]").TextContent));
        Assert.Single(Client.MigrateCalls);
    }

    [Fact]
    public void Drop_AfterDragEndedElsewhere_DoesNothing()
    {
        var providers = RenderProviders();
        var workload = TestData.Workload("sensor-filter", _edge);
        var cut = RenderPool(workload);

        var card = cut.WaitForElement($"[data-testid=workload-{workload.Id}]");
        card.DragStart(new DragEventArgs());
        card.DragEnd(new DragEventArgs());
        cut.Find("[data-testid=node-cloud-1]").Drop(new DragEventArgs());

        Assert.Empty(Client.MigrateCalls);
        Assert.Empty(providers.FindAll("[data-testid=migration-refused]"));
    }

    [Fact]
    public void Watch_MigrationUpserted_UpdatesPhaseAndBytesOnCard()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var migration = TestData.Migration(workload, _cloud, MigrationPhase.Preparing);
        var cut = RenderPool([migration], workload);
        cut.WaitForAssertion(() => Assert.Equal("Preparing", cut.Find($"[data-testid=migration-{migration.Id}]").GetAttribute("data-phase")));

        Client.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Transferring, bytesMoved: 12_900_000) with { Id = migration.Id });

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-testid=workload-{workload.Id}] [data-testid=migration-{migration.Id}]");
            Assert.Equal("Transferring", row.GetAttribute("data-phase"));
            Assert.Contains("12.3 MiB moved", row.TextContent);
        });
    }

    [Fact]
    public void Watch_MigrationCompleted_CardMovesToTargetAndSaysCompleted()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var migration = TestData.Migration(workload, _cloud, MigrationPhase.Restoring);
        var cut = RenderPool([migration], workload);
        cut.WaitForElement($"[data-testid=migration-{migration.Id}]");

        Client.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Completed, downtimeMs: 12, totalMs: 800) with { Id = migration.Id });
        Client.Upsert(workload with { NodeId = _cloud.Id, NodeName = _cloud.Name, Generation = 2 });

        cut.WaitForAssertion(() =>
        {
            var card = cut.Find($"[data-testid=node-cloud-1] [data-testid=workload-{workload.Id}][data-state=Running]");
            Assert.Equal("Completed", card.GetAttribute("data-migration-phase"));
            Assert.Equal(migration.Id.ToString(), card.GetAttribute("data-migration-id"));
            Assert.Empty(cut.FindAll($"[data-testid=migration-{migration.Id}]"));
        });
    }

    [Fact]
    public void Watch_ReplayedOlderPhase_DoesNotGoBack()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var migration = TestData.Migration(workload, _cloud, MigrationPhase.Transferring);
        var cut = RenderPool([migration], workload);

        Client.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Preparing) with { Id = migration.Id });
        Client.Upsert(_edge with { CpuPercent = 50 });

        cut.WaitForAssertion(() => Assert.Contains("50 %", cut.Find("[data-testid=node-edge-1]").TextContent));
        Assert.Equal("Transferring", cut.Find($"[data-testid=migration-{migration.Id}]").GetAttribute("data-phase"));
    }
}
