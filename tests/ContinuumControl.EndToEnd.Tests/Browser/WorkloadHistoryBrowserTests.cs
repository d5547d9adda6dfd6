using ContinuumControl.EndToEnd.Tests.Cluster;
using Microsoft.Playwright;

namespace ContinuumControl.EndToEnd.Tests.Browser;

/// <summary>A pool with a long history: node cards stay short, and the Workloads page finds every finished workload.</summary>
public sealed class WorkloadHistoryBrowserTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    private static readonly LocatorWaitForOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task LongHistory_NodeCardsShowCounts_AndWorkloadsPageFiltersAndPages()
    {
        var edge = await cluster.NodeAsync("edge-e2e");
        var cloud = await cluster.NodeAsync("cloud-e2e");
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var history = await HistorySeed.FinishedAsync(cluster, "done-", [edge.Id, cloud.Id], 150, start, failedEvery: 15);
        var running = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge", args: ["100000"]);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);

        var edgeCard = page.Locator("[data-testid=node-edge-e2e]");
        await edgeCard.Locator($"[data-testid=workload-{running.Id}][data-state=Running]").WaitForAsync(Visible);
        await edgeCard.Locator("[data-testid=node-workload-counts][data-running='1']").WaitForAsync(Visible);
        Assert.Equal("1 running · 0 queued · 0 suspended", (await edgeCard.Locator("[data-testid=node-workload-counts]").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("[data-workload-name^='done-']").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=node-edge-e2e] [draggable=true]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=node-cloud-e2e] [draggable=true]").CountAsync());

        await page.Locator("[data-testid=nav-workloads]").ClickAsync();
        await page.Locator("#workloads-page[data-interactive=true]").WaitForAsync(Visible);
        await page.Locator("[data-testid=workloads-total][data-total='151']").WaitForAsync(Visible);
        var rows = page.Locator("[data-testid=workload-row]");
        await rows.Nth(24).WaitForAsync(Visible);
        Assert.Equal(25, await rows.CountAsync());
        Assert.Equal(running.Id.ToString(), await rows.First.GetAttributeAsync("data-workload-id"));
        Assert.Equal("done-149", await rows.Nth(1).GetAttributeAsync("data-workload-name"));

        await page.Locator("[data-testid=workloads-pager] button[aria-label='Next page']").ClickAsync();
        await page.Locator("[data-testid=workload-row][data-workload-name='done-125']").First.WaitForAsync(Visible);
        Assert.Equal("done-125", await rows.First.GetAttributeAsync("data-workload-name"));

        await page.GotoAsync($"/workloads?state=Failed&node={edge.Id}");
        await page.Locator("#workloads-page[data-interactive=true]").WaitForAsync(Visible);
        var failedOnEdge = history.Where(w => w.State == Domain.Workloads.WorkloadState.Failed && w.NodeId == edge.Id).ToList();
        await page.Locator($"[data-testid=workloads-total][data-total='{failedOnEdge.Count}']").WaitForAsync(Visible);
        Assert.NotEmpty(failedOnEdge);
        await WaitForNamesAsync(rows, [.. failedOnEdge.Select(w => w.Name).Reverse()]);
        Assert.All(await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.state + '@' + r.dataset.node)"), s => Assert.Equal("Failed@edge-e2e", s));

        await page.GotoAsync("/workloads");
        await page.Locator("#workloads-page[data-interactive=true]").WaitForAsync(Visible);
        await page.Locator("[data-testid=workloads-total][data-total='151']").WaitForAsync(Visible);
        await page.Locator("input[data-testid=filter-search], [data-testid=filter-search] input").First.FillAsync("done-01");
        await page.Locator("[data-testid=workloads-total][data-total='10']").WaitForAsync(Visible);
        await WaitForNamesAsync(rows, [.. Enumerable.Range(10, 10).Select(i => $"done-{i:D3}").Reverse()]);

        await rows.First.ClickAsync();
        await page.Locator($"[data-testid=workload-panel][data-workload-id=\"{history[19].Id}\"][data-state=Completed]").WaitForAsync(Visible);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "cc-dashboard-workloads.png"), FullPage = true });
        await cluster.Api.PostAsync($"/api/workloads/{running.Id}/stop", null);
    }

    // The grid renders its rows after the page's total: wait until they show what is expected, then say what they showed.
    private static async Task WaitForNamesAsync(ILocator rows, List<string?> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string?> names;
        do
        {
            names = [.. await rows.EvaluateAllAsync<string?[]>("rows => rows.map(r => r.dataset.workloadName)")];
            if (names.SequenceEqual(expected))
            {
                return;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(expected, names);
    }
}
