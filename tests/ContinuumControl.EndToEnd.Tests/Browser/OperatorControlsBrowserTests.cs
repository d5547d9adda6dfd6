using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;
using Microsoft.Playwright;

namespace ContinuumControl.EndToEnd.Tests.Browser;

/// <summary>Operator controls in a real Chromium against the real server: cordon and uncordon a node, pause and resume a policy.</summary>
public sealed class OperatorControlsBrowserTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    private static readonly LocatorWaitForOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task CordonFromTheNodeMenu_ThenUncordon_NodeStateFollows()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);
        await page.Locator("[data-testid=node-cloud-e2e][data-state=Ready]").WaitForAsync(Visible);

        await page.Locator("[data-testid=node-menu-cloud-e2e]").ClickAsync();
        await page.Locator("[data-testid=node-cordon]").ClickAsync();
        await page.Locator("[data-testid=node-cloud-e2e][data-state=Cordoned]").WaitForAsync(Visible);
        Assert.Equal(NodeState.Cordoned, (await cluster.NodeAsync("cloud-e2e")).State);

        await page.Locator("[data-testid=node-menu-cloud-e2e]").ClickAsync();
        await page.Locator("[data-testid=node-uncordon]").ClickAsync();
        await page.Locator("[data-testid=node-cloud-e2e][data-state=Ready]").WaitForAsync(Visible);
        Assert.Equal(NodeState.Ready, (await cluster.NodeAsync("cloud-e2e")).State);
    }

    [Fact]
    public async Task PauseAPolicyOnTheOrchestrationPage_IsPersisted_ThenResume()
    {
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, LocalCluster.AdminToken);
        await page.GotoAsync("/orchestration");
        await page.Locator("#orchestration-page[data-interactive=true]").WaitForAsync(Visible);
        await page.Locator("[data-testid=policy-row-Drain][data-paused=false]").WaitForAsync(Visible);

        await page.Locator("[data-testid=policy-pause-Drain]").ClickAsync();
        await page.Locator("[data-testid=policy-row-Drain][data-paused=true]").WaitForAsync(Visible);
        var policies = await cluster.Api.GetFromJsonAsync<List<PolicyDto>>("/api/policies");
        Assert.True(policies!.Single(p => p.Name == "Drain").Paused);

        await page.Locator("[data-testid=policy-pause-Drain]").ClickAsync();
        await page.Locator("[data-testid=policy-row-Drain][data-paused=false]").WaitForAsync(Visible);
        policies = await cluster.Api.GetFromJsonAsync<List<PolicyDto>>("/api/policies");
        Assert.False(policies!.Single(p => p.Name == "Drain").Paused);
    }
}
