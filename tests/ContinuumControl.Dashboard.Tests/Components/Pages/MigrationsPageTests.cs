using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Pages;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Pages;

public sealed class MigrationsPageTests : DashboardTestContext
{
    private readonly NodeDto _edge = TestData.Node("edge-1", NodeClass.Edge);
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    [Fact]
    public void Render_Migrations_ShowsTableWithReasonsAndDowntimeChart()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var first = TestData.Migration(workload, _cloud, MigrationPhase.Completed, downtimeMs: 11, totalMs: 900, requestedAt: TestData.Now.AddMinutes(-3));
        var second = TestData.Migration(workload, _edge, MigrationPhase.Aborted, reason: "edge-1 went Down during Preparing; the source resumed.", requestedAt: TestData.Now.AddMinutes(-2));
        var third = TestData.Migration(workload, _edge, MigrationPhase.Completed, downtimeMs: 48, totalMs: 2100, requestedAt: TestData.Now.AddMinutes(-1));
        Client.Migrations.AddRange([first, second, third]);

        var cut = Render<MigrationsPage>();

        cut.WaitForAssertion(() =>
        {
            var table = cut.Find("[data-testid=migrations-table]");
            var phases = table.QuerySelectorAll("[data-testid^=migration-entry-]");
            Assert.Equal([$"migration-entry-{third.Id}", $"migration-entry-{second.Id}", $"migration-entry-{first.Id}"], phases.Select(p => p.GetAttribute("data-testid")));
            Assert.Equal("Aborted", phases[1].GetAttribute("data-phase"));
            Assert.Contains("edge-1 went Down during Preparing", table.QuerySelector("[data-testid=migration-reason]")!.TextContent);
            Assert.Contains("48 ms", table.TextContent);

            var chart = cut.Find("[data-testid=downtime-chart]");
            Assert.Equal("2", chart.GetAttribute("data-points"));
            Assert.NotNull(chart.QuerySelector("svg"));
            Assert.Contains("#3", chart.TextContent);
            Assert.Contains("3 listed", cut.Find("[data-testid=migrations-summary]").TextContent);
        });
    }

    [Fact]
    public void Watch_MigrationUpserted_AddsRowAndPoint()
    {
        var workload = TestData.Workload("sensor-filter", _edge);
        var cut = Render<MigrationsPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));
        Assert.Equal("0", cut.Find("[data-testid=downtime-chart]").GetAttribute("data-points"));

        var migration = TestData.Migration(workload, _cloud, MigrationPhase.Transferring);
        Client.Upsert(migration);
        cut.WaitForAssertion(() => Assert.Equal("Transferring", cut.Find($"[data-testid=migration-entry-{migration.Id}]").GetAttribute("data-phase")));

        Client.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Completed, downtimeMs: 9, totalMs: 700) with { Id = migration.Id });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Completed", cut.Find($"[data-testid=migration-entry-{migration.Id}]").GetAttribute("data-phase"));
            Assert.Equal("1", cut.Find("[data-testid=downtime-chart]").GetAttribute("data-points"));
        });
    }

    [Fact]
    public void Render_Interactive_MarksPageInteractive()
    {
        var cut = Render<MigrationsPage>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#migrations-page").GetAttribute("data-interactive")));
    }
}
