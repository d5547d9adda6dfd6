using ContinuumControl.EndToEnd.Tests.Cluster;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ContinuumControl.EndToEnd.Tests.Browser;

/// <summary>The dashboard in a real Chromium against the real server with two real agents.</summary>
public sealed class DashboardBrowserTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    private static readonly LocatorWaitForOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task SignedIn_SeesBothNodesInTheirGroups_AndARunningWorkloadOnItsNode()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);

        await page.Locator("[data-testid=edge-nodes] [data-testid=node-edge-e2e][data-state=Ready]").WaitForAsync(Visible);
        await page.Locator("[data-testid=cloud-nodes] [data-testid=node-cloud-e2e][data-state=Ready]").WaitForAsync(Visible);

        var workload = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Cloud", args: ["100000"]);
        // Arrives through the live change stream: the page is not reloaded.
        await page.Locator($"[data-testid=node-cloud-e2e] [data-testid=workload-{workload.Id}][data-state=Running]").WaitForAsync(Visible);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "cc-dashboard-pool.png"), FullPage = true });

        await page.Locator($"[data-testid=workload-{workload.Id}]").ClickAsync();
        await page.Locator("[data-testid=output-stdout]").Filter(new LocatorFilterOptions { HasText = "line 3 of 100000" }).WaitForAsync(Visible);
        await page.Locator("[data-testid=workload-stop]").ClickAsync();
        // Finished: off the node card, still in the open panel (and on the Workloads page).
        await page.Locator($"[data-testid=workload-panel][data-workload-id=\"{workload.Id}\"][data-state=Stopped]").WaitForAsync(Visible);
        Assert.Equal(0, await page.Locator($"[data-testid=node-cloud-e2e] [data-testid=workload-{workload.Id}]").CountAsync());
    }

    [Fact]
    public async Task DragWorkloadCardOntoOtherNode_MigratesIt_AndShowsCompleted()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);
        var workload = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: null, args: ["100000"]);
        var source = workload.NodeName!;
        var target = source == "edge-e2e" ? "cloud-e2e" : "edge-e2e";
        var card = page.Locator($"[data-testid=node-{source}] [data-testid=workload-{workload.Id}][data-state=Running]");
        await card.WaitForAsync(Visible);

        await card.DragToAsync(page.Locator($"[data-testid=node-{target}]"));

        await page.Locator($"[data-testid=node-{target}] [data-testid=workload-{workload.Id}][data-state=Running][data-migration-phase=Completed]").WaitForAsync(Visible);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "cc-dashboard-migrated.png"), FullPage = true });
        var moved = await cluster.Api.GetFromJsonAsync<Contracts.Api.WorkloadDto>($"/api/workloads/{workload.Id}");
        Assert.Equal((target, 2L), (moved!.NodeName, moved.Generation));
        await cluster.Api.PostAsync($"/api/workloads/{workload.Id}/stop", null);
    }

    [Fact]
    public async Task DropOnDownNode_IsRefusedWithTheReason()
    {
        await using var browser = await BrowserSession.StartAsync();
        cluster.StartAgent("gone-e2e", "Edge");
        await cluster.WaitForNodeAsync("gone-e2e", NodeState.Ready);
        cluster.KillAgent("gone-e2e");
        await cluster.WaitForNodeAsync("gone-e2e", NodeState.Down);
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);
        var workload = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: null, args: ["100000"]);
        var card = page.Locator($"[data-testid=workload-{workload.Id}][data-state=Running]");
        await card.WaitForAsync(Visible);

        await card.DragToAsync(page.Locator("[data-testid=node-gone-e2e]"));

        var refusal = page.Locator("[data-testid=migration-refused]");
        await refusal.WaitForAsync(Visible);
        Assert.Contains("Down", await refusal.InnerTextAsync());
        Assert.Empty((await cluster.Api.GetFromJsonAsync<List<Contracts.Api.MigrationDto>>($"/api/workloads/{workload.Id}/migrations"))!);
        await cluster.Api.PostAsync($"/api/workloads/{workload.Id}/stop", null);
    }

    [Fact]
    public async Task WrongToken_ShowsTheReason()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = cluster.BaseAddress.ToString() });
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=token]", "cc_wrong");
        await page.ClickAsync("[data-testid=login-submit]");
        var error = page.Locator("[data-testid=login-error]");
        await error.WaitForAsync(Visible);
        Assert.Contains("not valid", await error.InnerTextAsync());
    }
}
