using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;
using Microsoft.Playwright;

namespace ContinuumControl.EndToEnd.Tests.Browser;

/// <summary>Sessions re-check their token every 2 s here (30 s by default), so the revocation test is quick.</summary>
public sealed class ShortSessionCluster : LocalCluster
{
    protected override IReadOnlyList<string> ServerArgs => [.. base.ServerArgs, "--Server:SessionCheckSeconds=2"];
}

/// <summary>
/// A read-only token in a real Chromium: the dashboard offers no action, environment values stay hidden, and actions
/// forced past the page (a drag the page did not allow, a POST from the page's own session) are refused by the server.
/// </summary>
public sealed class ReadOnlyBrowserTests(ShortSessionCluster cluster) : IClassFixture<ShortSessionCluster>
{
    private static readonly LocatorWaitForOptions Visible = new() { Timeout = 30_000 };

    private async Task<(Guid Id, string Token)> CreateTokenAsync(string name, params string[] scopes)
    {
        var response = await cluster.Api.PostAsJsonAsync("/api/tokens", new { name, scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreatedTokenBody>();
        return (created!.Id, created.Token);
    }

    [Fact]
    public async Task ReadOnlyToken_NoActionOffered_ForcedActionsRefused_SecretsHidden()
    {
        var (_, token) = await CreateTokenAsync("browser-read-only", "read");
        var created = await cluster.Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(
            await cluster.ModuleHashAsync("hello"), Args: ["100000"], Env: new Dictionary<string, string> { ["API_KEY"] = "s3cr3t-value" }));
        var workload = (await created.Content.ReadFromJsonAsync<WorkloadDto>())!;
        var source = workload.NodeName!;
        var target = source == "edge-e2e" ? "cloud-e2e" : "edge-e2e";
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, token);

        var card = page.Locator($"[data-testid=node-{source}] [data-testid=workload-{workload.Id}][data-state=Running]");
        await card.WaitForAsync(Visible);
        await page.Locator("[data-testid=read-only-badge]").WaitForAsync(Visible);
        Assert.Equal(0, await page.Locator("[data-testid=deploy-open]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid^=node-menu-]").CountAsync());
        Assert.Equal("false", await card.GetAttributeAsync("draggable"));

        await card.ClickAsync();
        await page.Locator("[data-testid=workload-read-only]").WaitForAsync(Visible);
        Assert.Equal(0, await page.Locator("[data-testid=workload-stop]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=workload-delete]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=workload-pin]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=migrate-form]").CountAsync());
        var details = await page.Locator("[data-testid=workload-details]").InnerTextAsync();
        Assert.Contains("API_KEY=(hidden)", details, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", await page.ContentAsync(), StringComparison.Ordinal);

        // Forced past the page: make the card draggable again and drop it on the other node.
        await card.EvaluateAsync("e => e.setAttribute('draggable', 'true')");
        await card.DragToAsync(page.Locator($"[data-testid=node-{target}]"));
        var refusal = page.Locator("[data-testid=migration-refused]");
        await refusal.WaitForAsync(Visible);
        Assert.Contains("lacks the write scope", await refusal.InnerTextAsync(), StringComparison.Ordinal);

        // Forced from the page's own session (its cookie): the REST API refuses too.
        var status = await page.EvaluateAsync<int>($"async () => (await fetch('/api/workloads/{workload.Id}/stop', {{ method: 'POST' }})).status");
        Assert.Equal(403, status);

        var after = await cluster.WorkloadAsync(workload.Id);
        Assert.Equal((WorkloadState.Running, source, 1L), (after.State, after.NodeName, after.Generation));
        Assert.Empty((await cluster.Api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{workload.Id}/migrations"))!);

        await page.GotoAsync("/orchestration");
        await page.Locator("#orchestration-page[data-interactive=true]").WaitForAsync(Visible);
        await page.Locator("[data-testid=policy-row-Drain]").WaitForAsync(Visible);
        Assert.Equal(0, await page.Locator("[data-testid^=policy-pause-]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid^=policy-run-]").CountAsync());
        await cluster.Api.PostAsync($"/api/workloads/{workload.Id}/stop", null);
    }

    [Fact]
    public async Task RevokedToken_OpenDashboard_IsSentToSignIn()
    {
        var (id, token) = await CreateTokenAsync("browser-revoked", "read", "write");
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.SignInAsync(cluster.BaseAddress, token);

        Assert.Equal(HttpStatusCode.NoContent, (await cluster.Api.DeleteAsync($"/api/tokens/{id}")).StatusCode);

        await page.WaitForURLAsync("**/login**", new PageWaitForURLOptions { Timeout = 15_000 });
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login**");
    }

    private sealed record CreatedTokenBody(Guid Id, string Token);
}
