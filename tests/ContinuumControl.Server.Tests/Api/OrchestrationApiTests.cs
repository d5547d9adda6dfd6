using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ContinuumControl.Contracts.Checkpoints;
using Microsoft.AspNetCore.SignalR;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// Operator controls and the scheduler pipeline over the real API and hub: cordon, pin, priorities, policies,
/// evaluations with "why not this node", periodic checkpoints, recovery of a lost node's work and offload.
/// Scripted agents stand in for nodes so each step is exact; real agents are in the end-to-end tests. Each agent
/// heartbeats, so a loaded machine's slow upload cannot outlast its node's TTL (none of these tests is about liveness).
/// </summary>
public abstract class OrchestrationApiTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<string> HelloAsync() =>
        (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;

    private async Task<HttpResponseMessage> DeployAsync(string zone, string? priority = null) =>
        await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = await HelloAsync(), labels = new Dictionary<string, string> { ["zone"] = zone }, priority });

    private static Dictionary<string, string> Zone(string zone) => new() { ["zone"] = zone };

    [Fact]
    public async Task Cordon_StopsNewPlacements_WithTheReason_UntilUncordoned()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();

        var cordoned = await (await _api.PostAsync($"/api/nodes/{agent.NodeId}/cordon", null)).Content.ReadFromJsonAsync<NodeDto>();
        Assert.Equal(NodeState.Cordoned, cordoned!.State);
        var refused = await DeployAsync(zone);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "node is Cordoned, not Ready", "NodeReady");

        var back = await (await _api.PostAsync($"/api/nodes/{agent.NodeId}/uncordon", null)).Content.ReadFromJsonAsync<NodeDto>();
        Assert.Equal(NodeState.Ready, back!.State);
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(zone)).StatusCode);
        await agent.NextStartAsync();
    }

    [Fact]
    public async Task Cordon_UnknownNode_Returns404()
    {
        var response = await _api.PostAsync($"/api/nodes/{Guid.NewGuid()}/cordon", null);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "No node has id");
    }

    [Fact]
    public async Task Deploy_WithPriority_ReachesTheAgent_WithTheCheckpointInterval()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var created = await (await DeployAsync(zone, "high")).Content.ReadFromJsonAsync<WorkloadDto>();
        Assert.Equal(WorkloadPriority.High, created!.Priority);
        var start = await agent.NextStartAsync();
        Assert.Equal(WorkloadPriority.High, start.Priority);
    }

    [Theory]
    [InlineData("urgent")]
    [InlineData("2")]
    [InlineData("Low, High")]
    public async Task Deploy_UnknownPriority_Returns400_NamingTheField(string priority)
    {
        var response = await DeployAsync(Unique("zone"), priority);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"'{priority}' is not a priority class", "Low, Normal or High");
        Assert.True(problem.GetProperty("errors").TryGetProperty("priority", out _));
    }

    [Fact]
    public async Task Deploy_Refused_LeavesAnEvaluation_WithEveryCandidatesReason()
    {
        var zone = Unique("zone");
        var name = Unique("small");
        await using var agent = await TestAgent.JoinAsync(factory, name, memoryMiB: 16, labels: Zone(zone));
        agent.KeepAlive();
        var refused = await DeployAsync(zone);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "not enough memory");
        var evaluationId = problem.GetProperty("evaluationId").GetGuid();

        var evaluation = await _api.GetFromJsonAsync<EvaluationDto>($"/api/evaluations/{evaluationId}");
        Assert.Equal(EvaluationTrigger.Submitted, evaluation!.Trigger);
        var refusal = Assert.Single(evaluation.Plan!.Refusals);
        var mine = Assert.Single(refusal.Candidates, c => c.NodeName == name);
        Assert.Equal("ResourceFit", mine.Filter);
        Assert.Contains("not enough memory", mine.Reason);
        var all = await _api.GetFromJsonAsync<List<EvaluationDto>>("/api/evaluations");
        Assert.Contains(all!, e => e.Id == evaluationId);
    }

    [Fact]
    public async Task Evaluation_UnknownId_Returns404()
    {
        var response = await _api.GetAsync($"/api/evaluations/{Guid.NewGuid()}");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "No recent evaluation");
    }

    [Fact]
    public async Task Pin_SetsAndClears_AndRefusesBadInput()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;

        var pinned = await (await _api.PutAsJsonAsync($"/api/workloads/{workload.Id}/pin", new PinRequest(true))).Content.ReadFromJsonAsync<WorkloadDto>();
        Assert.True(pinned!.Pinned);
        Assert.True((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.Pinned);
        var released = await (await _api.PutAsJsonAsync($"/api/workloads/{workload.Id}/pin", new PinRequest(false))).Content.ReadFromJsonAsync<WorkloadDto>();
        Assert.False(released!.Pinned);

        await ProblemAssert.IsProblemAsync(await _api.PutAsJsonAsync($"/api/workloads/{Guid.NewGuid()}/pin", new PinRequest(true)), HttpStatusCode.NotFound);
        var noBody = await _api.PutAsync($"/api/workloads/{workload.Id}/pin", new StringContent("{\"pinned\": \"maybe\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
    }

    [Fact]
    public async Task Pin_WithReadOnlyToken_Returns403()
    {
        var token = await CreateTokenAsync("read");
        var readOnly = factory.CreateApiClient(token);
        var response = await readOnly.PutAsJsonAsync($"/api/workloads/{Guid.NewGuid()}/pin", new PinRequest(true));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<string> CreateTokenAsync(string scope)
    {
        var response = await _api.PostAsJsonAsync("/api/tokens", new { name = Unique("t"), scopes = new[] { scope } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task Policies_AreListed_PauseSurvives_AndRunNowIsRefusedWhilePaused()
    {
        var policies = (await _api.GetFromJsonAsync<List<PolicyDto>>("/api/policies"))!;
        Assert.Equal(["Rebalance", "Drain", "Offload", "EnergyLow", "NodeDown"], policies.Select(p => p.Name));
        Assert.All(policies, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Contains("CheckpointIntervalSeconds", policies.Single(p => p.Name == "NodeDown").Settings.Keys);

        var paused = await (await _api.PostAsync("/api/policies/rebalance/pause", null)).Content.ReadFromJsonAsync<PolicyDto>();
        Assert.True(paused!.Paused);
        Assert.True((await _api.GetFromJsonAsync<List<PolicyDto>>("/api/policies"))!.Single(p => p.Name == "Rebalance").Paused);
        await ProblemAssert.IsProblemAsync(await _api.PostAsync("/api/policies/Rebalance/run", null), HttpStatusCode.Conflict, "switched off", "Orchestration:Policies:Rebalance:Enabled");
        var resumed = await (await _api.PostAsync("/api/policies/Rebalance/resume", null)).Content.ReadFromJsonAsync<PolicyDto>();
        Assert.False(resumed!.Paused);
    }

    [Fact]
    public async Task Policies_Unknown_Returns404_ListingTheNames()
    {
        var response = await _api.PostAsync("/api/policies/Defrag/pause", null);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "There is no policy 'Defrag'", "Rebalance", "NodeDown");
    }

    [Fact]
    public async Task Checkpoint_FromTheCurrentCopy_IsRecorded_StaleOnesAreNot()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);

        var stale = await agent.CheckpointAsync(workload.Id, 7, TestManifests.Json("stale"));
        Assert.Equal((false, "not the current copy of the workload"), (stale.Recorded, stale.Reason));
        Assert.Null((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.CheckpointedAt);
        Assert.True((await agent.CheckpointAsync(workload.Id, 1, TestManifests.Json("current"))).Recorded);
        Assert.NotNull((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.CheckpointedAt);
    }

    [Fact]
    public async Task Checkpoint_NamingAChunkTheControlPlaneLacks_IsNotRecorded_UntilTheChunkIsUploaded()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);
        var (chunk, bytes) = TestChunks.Random();
        var manifest = TestManifests.Json("needs-a-chunk", 1, chunk);

        var refused = await agent.CheckpointAsync(workload.Id, 1, manifest);
        Assert.Equal((false, true), (refused.Recorded, refused.ChunksMissing));
        Assert.Contains($"the control plane does not have chunk {chunk}", refused.Reason);
        Assert.Null((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.CheckpointedAt);

        var upload = agent.CreateHttpClient();
        (await upload.PostAsync(ChunkBatch.UploadRoute, new ByteArrayContent(ChunkBatch.Write([(chunk, bytes)])))).EnsureSuccessStatusCode();
        Assert.True((await agent.CheckpointAsync(workload.Id, 1, manifest)).Recorded);
        Assert.NotNull((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.CheckpointedAt);
    }

    [Fact]
    public async Task Checkpoint_ManifestOfTheLargestAllowedMemory_IsReceivedAndAnswered()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);
        // Every page of a 4 GiB memory in use, each its own chunk: the biggest manifest an agent can send.
        var pages = ContinuumControl.Server.Workloads.WorkloadRequestValidator.MaxMemoryMiB * 16;
        var chunks = Enumerable.Range(0, pages).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();

        var answer = await agent.CheckpointAsync(workload.Id, 1, TestManifests.Json("largest", 1, chunks));

        Assert.Equal((false, true), (answer.Recorded, answer.ChunksMissing));
        Assert.Contains("the control plane does not have chunk", answer.Reason);
    }

    [Fact]
    public async Task Checkpoint_ManifestIsNotAManifest_IsRefusedWithTheReason()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);

        var error = await Assert.ThrowsAsync<HubException>(() => agent.CheckpointAsync(workload.Id, 1, "{\"formatVersion\":1}"));
        Assert.Contains("the manifest is not a checkpoint manifest", error.Message);
        Assert.Contains("nothing was recorded", error.Message);
        Assert.Null((await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.CheckpointedAt);
    }

    [Fact]
    public async Task QueuedAndSuspended_Reports_AreShown()
    {
        var zone = Unique("zone");
        await using var agent = await TestAgent.JoinAsync(factory, Unique("node"), labels: Zone(zone));
        agent.KeepAlive();
        var workload = (await (await DeployAsync(zone)).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await agent.NextStartAsync();
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Queued);
        Assert.Equal(WorkloadState.Queued, (await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.State);
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Running);
        await agent.ReportAsync(workload.Id, 1, WorkloadState.Suspended);
        Assert.Equal(WorkloadState.Suspended, (await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}"))!.State);
    }
}

public sealed class SqliteOrchestrationApiTests(SqliteControlPlaneFactory factory) : OrchestrationApiTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresOrchestrationApiTests(PostgresControlPlaneFactory factory) : OrchestrationApiTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
