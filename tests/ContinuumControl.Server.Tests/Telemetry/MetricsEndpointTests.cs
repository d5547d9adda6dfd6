using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Telemetry;

/// <summary>
/// OpenTelemetry's meter provider listens to meters by name across the whole process, so another test's control plane
/// would move these counts: the metrics tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}

/// <summary>/metrics is behind the read scope and shows what the control plane did: evaluations, placements, heartbeats, output, a migration step by step.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private async Task<MetricsScrape> ScrapeAsync()
    {
        var response = await _api.GetAsync(Routes.Metrics);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (10 s at most); the last scrape either way, for the assertions.</summary>
    private async Task<MetricsScrape> ScrapeUntilAsync(Func<MetricsScrape, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var scrape = await ScrapeAsync();
        while (!done(scrape) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            scrape = await ScrapeAsync();
        }
        return scrape;
    }

    [Fact]
    public async Task Metrics_WithoutToken_Returns401()
    {
        var response = await factory.CreateApiClient(token: null).GetAsync(Routes.Metrics);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WithoutReadScope_Returns403_WithReadScope_Returns200()
    {
        var writeOnly = await TokenSeed.CreateAsync(factory, "metrics-write-only", Scopes.Write);
        var readOnly = await TokenSeed.CreateAsync(factory, "metrics-read-only", Scopes.Read);

        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateApiClient(writeOnly.Token).GetAsync(Routes.Metrics)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient(readOnly.Token).GetAsync(Routes.Metrics)).StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterAPlacementAndAMigration_CountThemAndBreakTheDowntimeDown()
    {
        var labels = new Dictionary<string, string> { ["zone"] = $"metrics-{Guid.NewGuid():N}"[..20] };
        var before = await ScrapeAsync();
        await using var source = await TestAgent.JoinAsync(factory, $"msrc-{Guid.NewGuid():N}"[..16], labels: labels);
        // Heartbeats keep both nodes Ready however long a loaded machine takes (and count as accepted ones).
        source.KeepAlive();
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var workload = (await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels })).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await source.NextStartAsync();
        await source.ReportAsync(workload.Id, 1, WorkloadState.Running);
        await source.AppendAsync(workload.Id, 1, 0, "hello, metrics\n");
        await using var target = await TestAgent.JoinAsync(factory, $"mdst-{Guid.NewGuid():N}"[..16], labels: labels);
        target.KeepAlive();

        var started = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId, PreCopy: false));
        started.EnsureSuccessStatusCode();
        var migration = (await started.Content.ReadFromJsonAsync<MigrationDto>())!;
        await TestAgent.NextAsync(target.Prepares);
        await target.ReportMigrationAsync(migration.Id, MigrationReportKind.Prepared);
        Assert.True((await TestAgent.NextAsync(source.Checkpoints)).Pause);
        // The source's moments lie in the past and the target's after the server's, so every step is as reported.
        var paused = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(10);
        await Report(source, new MigrationReport(migration.Id, MigrationReportKind.Checkpointed, TestManifests.Json("metrics"), 4096, paused, null, Steps: new Dictionary<string, DateTimeOffset>
        {
            [MigrationStepNames.SourceRequested] = paused - TimeSpan.FromMilliseconds(2),
            [MigrationStepNames.SourcePaused] = paused,
            [MigrationStepNames.SourceCaptured] = paused + TimeSpan.FromMilliseconds(3),
            [MigrationStepNames.SourceHashed] = paused + TimeSpan.FromMilliseconds(5),
            [MigrationStepNames.SourceWritten] = paused + TimeSpan.FromMilliseconds(6),
            [MigrationStepNames.SourceReported] = paused + TimeSpan.FromMilliseconds(7),
        }));
        await TestAgent.NextAsync(target.Restores);
        var command = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var resumed = command + TimeSpan.FromMilliseconds(9);
        await target.ReportMigrationAsync(migration.Id, MigrationReportKind.Fetched);
        await Report(target, new MigrationReport(migration.Id, MigrationReportKind.Restored, null, 0, resumed, null, Steps: new Dictionary<string, DateTimeOffset>
        {
            [MigrationStepNames.TargetRestoreCommand] = command,
            [MigrationStepNames.TargetFetched] = command + TimeSpan.FromMilliseconds(1),
            [MigrationStepNames.TargetLoaded] = command + TimeSpan.FromMilliseconds(5),
            [MigrationStepNames.TargetResumed] = resumed,
        }));
        Assert.Equal(MigrationPhase.Completed, (await _api.GetFromJsonAsync<MigrationDto>($"/api/migrations/{migration.Id}/wait?timeoutSeconds=20"))!.Phase);
        var after = await ScrapeAsync();

        double Grew(string name, params string[] filter) => after.Sum(name, filter) - before.Sum(name, filter);
        Assert.Equal(2, Grew("continuum_agent_registrations_total", "outcome=accepted"));
        Assert.True(Grew("continuum_heartbeats_total", "outcome=accepted") >= 1);
        Assert.Equal(1, Grew("continuum_evaluations_total", "trigger=Submitted", "outcome=committed"));
        Assert.Equal(1, Grew("continuum_evaluations_total", "trigger=OperatorMove", "outcome=committed"));
        Assert.Equal(1, Grew("continuum_placements_total", "trigger=Submitted", "start=beginning"));
        Assert.True(Grew("continuum_evaluation_planning_duration_seconds_count", "trigger=Submitted") >= 1);
        Assert.Equal("hello, metrics\n".Length, Grew("continuum_output_bytes_total", "stream=stdout"));
        Assert.Equal(1, Grew("continuum_migrations_total", "outcome=Completed", "trigger=Api", "precopy=false"));
        Assert.Equal(4096, Grew("continuum_migration_bytes_total", "phase=Transferring"));
        Assert.Equal(1, Grew("continuum_migration_downtime_seconds_count", "precopy=false"));
        Assert.Equal((resumed - paused).TotalSeconds, Grew("continuum_migration_downtime_seconds_sum", "precopy=false"), 6);
        Assert.Equal(1, Grew("continuum_migration_duration_seconds_count", "outcome=Completed"));
        foreach (var phase in new[] { "Preparing", "Checkpointing", "Transferring", "Restoring" })
        {
            Assert.Equal(1, Grew("continuum_migration_phase_duration_seconds_count", $"phase={phase}"));
        }
        foreach (var (step, ms) in new[] { ("src.paused", 2), ("src.captured", 3), ("src.hashed", 2), ("src.written", 1), ("src.reported", 1), ("tgt.fetched", 1), ("tgt.loaded", 4), ("tgt.resumed", 4) })
        {
            Assert.Equal(1, Grew("continuum_migration_step_duration_seconds_count", $"step={step}"));
            Assert.Equal(ms / 1000.0, Grew("continuum_migration_step_duration_seconds_sum", $"step={step}"), 6);
        }
        foreach (var step in new[] { "srv.checkpointed", "srv.restoreSent", "tgt.restoreCmd" })
        {
            Assert.Equal(1, Grew("continuum_migration_step_duration_seconds_count", $"step={step}"));
        }
        Assert.True(after.Has("continuum_agents_connected"), after.Text);
    }

    [Fact]
    public async Task Metrics_ARunLostWithItsAgent_CountsTheRecoveryAndTheSecondPlacement()
    {
        var name = $"mrec-{Guid.NewGuid():N}"[..16];
        var labels = new Dictionary<string, string> { ["zone"] = name };
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var before = await ScrapeAsync();
        await using var agent = await TestAgent.JoinAsync(factory, name, labels: labels);
        var workload = (await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels })).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);

        // The agent restarted without its run: it registers again with nothing running, and the run is placed anew.
        await using var restarted = await TestAgent.JoinAsync(factory, name, labels: labels);
        restarted.KeepAlive();
        var again = await restarted.NextStartAsync();
        // The start reaches the agent before the evaluation that sent it records its placement: scrape until it has.
        var after = await ScrapeUntilAsync(s => s.Sum("continuum_placements_total", "trigger=Submitted") - before.Sum("continuum_placements_total", "trigger=Submitted") >= 2);

        Assert.Equal(workload.Id, again.WorkloadId);
        Assert.Equal(1, after.Sum("continuum_recoveries_total", "start=beginning") - before.Sum("continuum_recoveries_total", "start=beginning"));
        Assert.Equal(2, after.Sum("continuum_placements_total", "trigger=Submitted") - before.Sum("continuum_placements_total", "trigger=Submitted"));
    }

    [Fact]
    public async Task Metrics_ASilentNode_IsCountedDown_AndItsNextHeartbeatUnknown()
    {
        await using var agent = await TestAgent.JoinAsync(factory, $"mttl-{Guid.NewGuid():N}"[..16]);
        var before = await ScrapeAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(factory.HeartbeatTtlSeconds + 10);
        while ((await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{agent.NodeId}"))!.State != NodeState.Down && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.False((await agent.HeartbeatAsync()).Known);
        var after = await ScrapeAsync();

        // At least this one: the other tests' agents, gone silent when they ended, may be marked Down meanwhile too.
        Assert.True(after.Sum("continuum_nodes_down_total") - before.Sum("continuum_nodes_down_total") >= 1, after.Text);
        Assert.Equal(1, after.Sum("continuum_heartbeats_total", "outcome=unknown") - before.Sum("continuum_heartbeats_total", "outcome=unknown"));
    }

    private static Task Report(TestAgent agent, MigrationReport report) => agent.Hub.InvokeAsync(nameof(IAgentHub.ReportMigration), report);
}
