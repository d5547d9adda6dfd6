using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// Policies that react to events, against scripted agents over the real hub: a lost node's work resumes elsewhere from
/// its last checkpoint (and its stale copy is discarded when it returns), an offload request re-places a queued
/// workload, and a drain leaves pinned work where it is, saying why.
/// </summary>
public abstract class PolicyTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static Dictionary<string, string> Zone(string zone) => new() { ["zone"] = zone };

    private async Task<WorkloadDto> DeployAsync(string zone)
    {
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var response = await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels = Zone(zone) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    [Fact]
    public async Task LostNode_ItsWorkloadResumesElsewhere_FromTheLastCheckpoint_AndTheStaleCopyIsDiscardedOnReturn()
    {
        var zone = Unique("zone");
        var lostName = Unique("lost");
        var lost = await TestAgent.JoinAsync(factory, lostName, labels: Zone(zone));
        var workload = await DeployAsync(zone);
        var start = await lost.NextStartAsync();
        Assert.True(start.CheckpointIntervalMs > 0, "agents are told to checkpoint periodically while NodeDown recovery is on");
        await lost.ReportAsync(workload.Id, 1, WorkloadState.Running);
        var manifest = TestManifests.Json("last-periodic", sequence: 7);
        await lost.CheckpointAsync(workload.Id, 1, manifest);
        await using var survivor = await TestAgent.JoinAsync(factory, Unique("survivor"), labels: Zone(zone));
        survivor.KeepAlive();

        await lost.DisposeAsync();
        var recover = await survivor.NextRecoverAsync(timeoutSeconds: (factory.HeartbeatTtlSeconds + 1) * 6);
        Assert.Equal(workload.Id, recover.Start.WorkloadId);
        Assert.Equal(2, recover.Start.Generation);
        Assert.Equal(manifest, recover.ManifestJson);
        var moved = await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}");
        Assert.Equal(survivor.NodeId, moved!.NodeId);

        // The lost node returns still holding generation 1: it is told to discard it, never to run it.
        await using var back = await TestAgent.JoinAsync(factory, lostName, labels: Zone(zone),
            running: [new ContinuumControl.Contracts.Agents.RunningWorkload(workload.Id, 1)]);
        var result = await back.RegisterAsync(TestAgent.Descriptor(lostName, labels: Zone(zone)), [new ContinuumControl.Contracts.Agents.RunningWorkload(workload.Id, 1)]);
        Assert.Contains(workload.Id, result.Discard);
    }

    [Fact]
    public async Task LostNode_WithoutCheckpoint_StartsOverElsewhere()
    {
        var zone = Unique("zone");
        var lost = await TestAgent.JoinAsync(factory, Unique("lost"), labels: Zone(zone));
        var workload = await DeployAsync(zone);
        await lost.NextStartAsync();
        await lost.ReportAsync(workload.Id, 1, WorkloadState.Running);
        await using var survivor = await TestAgent.JoinAsync(factory, Unique("survivor"), labels: Zone(zone));
        survivor.KeepAlive();

        await lost.DisposeAsync();
        var start = await survivor.NextStartAsync(timeoutSeconds: (factory.HeartbeatTtlSeconds + 1) * 6);
        Assert.Equal(workload.Id, start.WorkloadId);
        Assert.Equal(2, start.Generation);
    }

    [Fact]
    public async Task OffloadRequest_MovesAQueuedWorkload_AndDiscardsTheQueuedCopy()
    {
        var zone = Unique("zone");
        await using var busy = await TestAgent.JoinAsync(factory, Unique("busy"), labels: Zone(zone));
        var workload = await DeployAsync(zone);
        await busy.NextStartAsync();
        await busy.ReportAsync(workload.Id, 1, WorkloadState.Queued);
        await using var idle = await TestAgent.JoinAsync(factory, Unique("idle"), labels: Zone(zone));

        await busy.RequestOffloadAsync(workload.Id, 1, "queued 12 s behind 2 High workloads");
        var start = await idle.NextStartAsync();
        Assert.Equal(2, start.Generation);
        var discard = await busy.NextDiscardAsync();
        Assert.Equal((workload.Id, 1L), (discard.WorkloadId, discard.Generation));
        EvaluationDto? offload = null;
        for (var i = 0; i < 200 && offload?.Status != EvaluationStatus.Applied; i++)
        {
            // The agents hear of the move before the evaluation's record says Applied (the commit's sends finish first).
            await Task.Delay(100);
            offload = (await _api.GetFromJsonAsync<List<EvaluationDto>>("/api/evaluations"))!.FirstOrDefault(e => e.Trigger == EvaluationTrigger.Offload && e.WorkloadId == workload.Id);
        }
        Assert.True(offload?.Status == EvaluationStatus.Applied, $"the offload evaluation is {offload?.Status.ToString() ?? "missing"}");
        Assert.Equal("queued 12 s behind 2 High workloads", offload!.Reason);
        Assert.Equal(PlanOutcome.Committed, Assert.Single(offload.Plan!.Items).Outcome);
    }

    [Fact]
    public async Task RunNow_WhilePaused_Returns409_AfterResume_Runs()
    {
        (await _api.PostAsync("/api/policies/Drain/pause", null)).EnsureSuccessStatusCode();
        await ProblemAssert.IsProblemAsync(await _api.PostAsync("/api/policies/Drain/run", null), System.Net.HttpStatusCode.Conflict, "Drain is paused", "/resume");
        (await _api.PostAsync("/api/policies/Drain/resume", null)).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await _api.PostAsync("/api/policies/Drain/run", null)).StatusCode);
        var ran = false;
        for (var i = 0; i < 50 && !ran; i++)
        {
            await Task.Delay(200);
            ran = (await _api.GetFromJsonAsync<List<PolicyDto>>("/api/policies"))!.Single(p => p.Name == "Drain").LastRunAt is not null;
        }
        Assert.True(ran, "the Drain policy's run was recorded");
    }

    [Fact]
    public async Task Drain_LeavesPinnedWork_AndSaysWhy()
    {
        var zone = Unique("zone");
        await using var draining = await TestAgent.JoinAsync(factory, Unique("drain"), labels: Zone(zone));
        var workload = await DeployAsync(zone);
        await draining.NextStartAsync();
        await draining.ReportAsync(workload.Id, 1, WorkloadState.Running);
        await using var other = await TestAgent.JoinAsync(factory, Unique("other"), labels: Zone(zone));
        (await _api.PutAsJsonAsync($"/api/workloads/{workload.Id}/pin", new PinRequest(true))).EnsureSuccessStatusCode();

        var result = await (await _api.PostAsync($"/api/nodes/{draining.NodeId}/drain", null)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(0, result.GetProperty("migrations").GetArrayLength());
        var refused = Assert.Single(result.GetProperty("refused").EnumerateArray());
        Assert.Contains("pinned", refused.GetProperty("reason").GetString());
        Assert.Equal(NodeState.Draining, (await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{draining.NodeId}"))!.State);
    }
}

/// <summary>SQLite control plane with the event-driven policies on.</summary>
public sealed class SqlitePolicyFactory : SqliteControlPlaneFactory
{
    protected override IReadOnlyCollection<string> EnabledPolicies => ["Drain", "Offload", "NodeDown"];
}

/// <summary>PostgreSQL control plane with the event-driven policies on.</summary>
public sealed class PostgresPolicyFactory : PostgresControlPlaneFactory
{
    protected override IReadOnlyCollection<string> EnabledPolicies => ["Drain", "Offload", "NodeDown"];
}

public sealed class SqlitePolicyTests(SqlitePolicyFactory factory) : PolicyTests<SqlitePolicyFactory>(factory), IClassFixture<SqlitePolicyFactory>;

public sealed class PostgresPolicyTests(PostgresPolicyFactory factory) : PolicyTests<PostgresPolicyFactory>(factory), IClassFixture<PostgresPolicyFactory>;
