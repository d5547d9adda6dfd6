using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Dashboard.Tests.Fakes;
using MudBlazor;

namespace ContinuumControl.Dashboard.Tests.Components.Controls;

public sealed class WorkloadMigrationsTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    private IRenderedComponent<WorkloadPanel> RenderPanel(WorkloadDto workload, Action<MigrationDto>? onStarted = null) =>
        Render<WorkloadPanel>(p =>
        {
            p.Add(x => x.Workload, workload);
            p.Add(x => x.Nodes, [_edge, _cloud]);
            if (onStarted is not null)
            {
                p.Add(x => x.OnMigrationStarted, onStarted);
            }
        });

    [Fact]
    public void Render_History_ListsOwnMigrationsNewestFirstWithMeasurements()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var older = TestData.Migration(workload, _cloud, MigrationPhase.Completed, downtimeMs: 14.2, totalMs: 1250, bytesMoved: 3L << 20, requestedAt: TestData.Now.AddMinutes(-5));
        var newer = TestData.Migration(workload, _edge, MigrationPhase.Aborted, reason: "cloud-1 stopped answering during Transferring; the source resumed.", requestedAt: TestData.Now);
        Client.Migrations.AddRange([older, newer, TestData.Migration(TestData.Workload("other", _edge), _cloud, MigrationPhase.Completed)]);

        var cut = RenderPanel(workload);

        cut.WaitForAssertion(() =>
        {
            var entries = cut.FindAll("[data-testid=migration-history] [data-testid^=migration-entry-]");
            Assert.Equal([$"migration-entry-{newer.Id}", $"migration-entry-{older.Id}"], entries.Select(e => e.GetAttribute("data-testid")));
            Assert.Equal("Aborted", entries[0].GetAttribute("data-phase"));
            Assert.Contains("the source resumed", entries[0].QuerySelector("[data-testid=migration-reason]")!.TextContent);
            Assert.Equal("14.2 ms", entries[1].QuerySelector("[data-testid=migration-downtime]")!.TextContent);
            Assert.Contains("1.25 s", entries[1].QuerySelector("[data-testid=migration-total]")!.TextContent);
            Assert.Contains("3 MiB", entries[1].TextContent);
            Assert.Contains("edge-1 → cloud-1", entries[1].TextContent);
            Assert.Null(entries[1].QuerySelector("[data-testid=migration-reason]"));
        });
    }

    [Fact]
    public void Watch_MigrationUpserted_UpdatesEntryLive()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var migration = TestData.Migration(workload, _cloud, MigrationPhase.Checkpointing);
        Client.Migrations.Add(migration);
        var cut = RenderPanel(workload);
        cut.WaitForAssertion(() => Assert.Equal("Checkpointing", cut.Find($"[data-testid=migration-entry-{migration.Id}]").GetAttribute("data-phase")));

        Client.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Failed, reason: "restore on cloud-1 failed: module hash mismatch") with { Id = migration.Id });
        Client.Upsert(TestData.Migration(TestData.Workload("other", _edge), _cloud, MigrationPhase.Requested));

        cut.WaitForAssertion(() =>
        {
            var entry = cut.Find($"[data-testid=migration-entry-{migration.Id}]");
            Assert.Equal("Failed", entry.GetAttribute("data-phase"));
            Assert.Contains("module hash mismatch", entry.TextContent);
        });
        Assert.Single(cut.FindAll("[data-testid^=migration-entry-]"));
    }

    [Fact]
    public void Render_NeverMoved_SaysSo()
    {
        var cut = RenderPanel(TestData.Workload("sensor-filter", _edge));

        cut.WaitForAssertion(() => Assert.Contains("Never moved.", cut.Find("[data-testid=migration-history]").TextContent));
    }

    [Fact]
    public async Task MoveTo_TargetPicked_MigratesAndListsIt()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        MigrationDto? raised = null;
        Client.Migrate = (_, _) => TestData.Migration(workload, _cloud);
        var cut = RenderPanel(workload, m => raised = m);
        var select = cut.FindComponent<MudSelect<Guid?>>();

        await cut.InvokeAsync(() => select.Instance.SelectOption((Guid?)_cloud.Id));
        cut.Find("[data-testid=migrate-submit]").Click();

        Assert.Equal([(workload.Id, _cloud.Id)], Client.MigrateCalls);
        Assert.Equal(workload.Id, raised?.WorkloadId);
        cut.WaitForAssertion(() => Assert.Equal("Requested", cut.Find($"[data-testid=migration-entry-{raised!.Id}]").GetAttribute("data-phase")));
    }

    [Fact]
    public async Task MoveTo_TargetCannotTakeIt_HintsWithTheSchedulersWords_AndShowsTheRefusalOnSubmit()
    {
        var providers = RenderProviders();
        var workload = TestData.Workload("sensor-filter", _edge);
        const string why = "Cloud-1 cannot take sensor-filter: class Edge required, node is Cloud.";
        Client.CheckMove = (w, t) => new MoveCheckDto(w, false, null, null, why, []);
        Client.Migrate = (_, _) => throw new ControlPlaneException(why);
        var cut = RenderPanel(workload);
        var select = cut.FindComponent<MudSelect<Guid?>>();

        await cut.InvokeAsync(() => select.Instance.SelectOption((Guid?)_cloud.Id));
        cut.WaitForAssertion(() => Assert.Equal(why, cut.Find("[data-testid=migrate-hint]").TextContent));
        Assert.Equal([(workload.Id, _cloud.Id)], Client.CheckMoveCalls);
        cut.Find("[data-testid=migrate-submit]").Click();

        Assert.Contains(why, providers.WaitForElement("[data-testid=migration-refused]").TextContent);
        Assert.Single(Client.MigrateCalls);
    }

    [Fact]
    public async Task MoveTo_TargetThatFits_ShowsNoHint()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var cut = RenderPanel(workload);
        var select = cut.FindComponent<MudSelect<Guid?>>();

        await cut.InvokeAsync(() => select.Instance.SelectOption((Guid?)_cloud.Id));

        cut.WaitForAssertion(() => Assert.Single(Client.CheckMoveCalls));
        Assert.Empty(cut.FindAll("[data-testid=migrate-hint]"));
    }

    [Fact]
    public void MoveTo_WorkloadNotRunning_IsNotOffered()
    {
        var cut = RenderPanel(TestData.Workload("done", _edge, state: WorkloadState.Completed, exitCode: 0));

        Assert.Empty(cut.FindAll("[data-testid=migrate-submit]"));
    }
}
