using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>
/// A rogue agent holding the join token, over real hub connections: it cannot take over a registered node's name, read
/// another node's modules or checkpoint chunks, or report for another node's workloads; revoked and rotated-out
/// credentials are refused.
/// </summary>
public abstract class NodeCredentialTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>A node running one workload (placed there by a label only it has), with the command it was started with.</summary>
    private async Task<(TestAgent Node, WorkloadDto Workload, string ModuleHash)> NodeRunningAWorkloadAsync()
    {
        var zone = Unique("zone");
        var labels = new Dictionary<string, string> { ["zone"] = zone };
        var node = await TestAgent.JoinAsync(factory, Unique("real"), labels: labels);
        node.KeepAlive();
        var module = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!;
        var workload = (await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = module.Hash, labels })).Content.ReadFromJsonAsync<WorkloadDto>())!;
        var start = await node.NextStartAsync();
        await node.ReportAsync(workload.Id, start.Generation, WorkloadState.Running);
        return (node, workload, start.ModuleHash);
    }

    private Task<WorkloadDto?> WorkloadAsync(Guid id) => _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{id}");

    private static ByteArrayContent Bytes(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    [Fact]
    public async Task Register_JoinTokenAsARegisteredNodesName_IsRefused_AndTheRealNodeKeepsItsConnectionAndWorkloads()
    {
        var (real, workload, _) = await NodeRunningAWorkloadAsync();
        await using var _ = real;
        await using var rogue = await TestAgent.ConnectAsync(factory, real.Name, token: ControlPlaneFactory.JoinToken);

        var refused = await Assert.ThrowsAsync<HubException>(() => rogue.RegisterAsync(TestAgent.Descriptor(real.Name), []));

        Assert.Contains($"Node name '{real.Name}' is held by node {real.NodeId}'s own credential", refused.Message);
        Assert.Contains($"DELETE /api/nodes/{real.NodeId}/credential", refused.Message);
        Assert.Contains("another name (Agent:Name)", refused.Message);
        Assert.True((await real.HeartbeatAsync()).Known);
        var kept = (await WorkloadAsync(workload.Id))!;
        Assert.Equal((WorkloadState.Running, real.NodeId), (kept.State, kept.NodeId));
        // Commands still go to the real node's connection, not to the impostor's.
        (await _api.PostAsync($"/api/workloads/{workload.Id}/stop", null)).EnsureSuccessStatusCode();
        Assert.Equal(workload.Id, (await TestAgent.NextAsync(real.Stops)).WorkloadId);
        Assert.Equal(0, rogue.Stops.Reader.Count + rogue.Starts.Reader.Count);
    }

    [Fact]
    public async Task Fetch_AnotherNodesModuleAndChunks_Returns403_WhileItsOwnerGetsThem()
    {
        var (real, workload, moduleHash) = await NodeRunningAWorkloadAsync();
        await using var _ = real;
        var owner = real.CreateHttpClient();
        var (chunk, bytes) = TestChunks.Random();
        (await owner.PostAsync(ChunkBatch.UploadRoute, Bytes(ChunkBatch.Write([(chunk, bytes)])))).EnsureSuccessStatusCode();
        Assert.True((await real.CheckpointAsync(workload.Id, 1, TestManifests.Json("victim", 1, chunk))).Recorded);
        await using var rogue = await TestAgent.JoinAsync(factory, Unique("rogue"), token: ControlPlaneFactory.JoinToken);
        var thief = rogue.CreateHttpClient();

        await ProblemAssert.IsProblemAsync(await thief.GetAsync($"/api/agent/modules/{moduleHash}"), HttpStatusCode.Forbidden, $"may fetch module {moduleHash} only while");
        await ProblemAssert.IsProblemAsync(await thief.GetAsync($"/api/agent/chunks/{chunk}"), HttpStatusCode.Forbidden, $"may fetch chunk {chunk} only while");
        await ProblemAssert.IsProblemAsync(await thief.PostAsync(ChunkBatch.FetchRoute, Bytes(ChunkBatch.WriteNames([chunk]))), HttpStatusCode.Forbidden, chunk);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/agent/modules/{moduleHash}")).StatusCode);
        Assert.Equal(bytes, await owner.GetByteArrayAsync($"/api/agent/chunks/{chunk}"));
        var batch = await owner.PostAsync(ChunkBatch.FetchRoute, Bytes(ChunkBatch.WriteNames([chunk])));
        Assert.Equal(bytes, Assert.Single(ChunkBatch.Read(await batch.Content.ReadAsByteArrayAsync())).Bytes);
    }

    [Fact]
    public async Task Reports_ForAnotherNodesWorkload_AreRefused_AndTheRogueIsToldToDiscard()
    {
        var (real, workload, _) = await NodeRunningAWorkloadAsync();
        await using var _ = real;
        await using var rogue = await TestAgent.JoinAsync(factory, Unique("rogue"), token: ControlPlaneFactory.JoinToken);

        await rogue.ReportAsync(workload.Id, 1, WorkloadState.Completed, 0);
        await rogue.AppendAsync(workload.Id, 1, 0, "forged output\n");
        var checkpoint = await rogue.CheckpointAsync(workload.Id, 1, TestManifests.Json("forged"));
        await rogue.RequestOffloadAsync(workload.Id, 1, "forged offload");

        Assert.False(checkpoint.Recorded);
        Assert.Equal(workload.Id, (await rogue.NextDiscardAsync()).WorkloadId);
        var kept = (await WorkloadAsync(workload.Id))!;
        Assert.Equal((WorkloadState.Running, real.NodeId, (DateTimeOffset?)null), (kept.State, kept.NodeId, kept.CheckpointedAt));
        var output = (await _api.GetFromJsonAsync<OutputDto>($"/api/workloads/{workload.Id}/output?stream=stdout"))!;
        Assert.DoesNotContain("forged", output.Text);
    }

    [Fact]
    public async Task Revoke_DisconnectsTheNode_RefusesItsCredential_AndFreesTheName()
    {
        var name = Unique("revoked");
        var node = await TestAgent.JoinAsync(factory, name);
        await using var _ = node;
        var old = node.Credential!;
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/nodes/{node.NodeId}/credential")).StatusCode);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await using var again = TestAgent.Connect(factory, old);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => again.StartAsync());
        Assert.Contains("401", refused.Message);
        Assert.DoesNotContain(await CredentialsAsync(), c => c.NodeId == node.NodeId);
        // The name is free: the join token registers it again, as the same node, with a new credential.
        await using var rejoined = await TestAgent.JoinAsync(factory, name, token: ControlPlaneFactory.JoinToken);
        Assert.Equal(node.NodeId, rejoined.NodeId);
        Assert.NotEqual(old, rejoined.Credential);
    }

    [Fact]
    public async Task Rotate_HandsTheNewCredentialOverTheLiveConnection_TheOldIsRefused_TheNewWorks()
    {
        var name = Unique("rotated");
        var node = await TestAgent.JoinAsync(factory, name);
        await using var _ = node;
        var old = node.Credential!;

        var response = await _api.PostAsync($"/api/nodes/{node.NodeId}/credential/rotate", null);

        response.EnsureSuccessStatusCode();
        var rotated = (await response.Content.ReadFromJsonAsync<NodeCredentialDto>())!;
        Assert.Equal((node.NodeId, name, true), (rotated.NodeId, rotated.NodeName, rotated.Connected));
        Assert.NotNull(rotated.RotatedAt);
        Assert.NotEqual(old, node.Credential);
        Assert.StartsWith("ccn_", node.Credential);
        Assert.True((await node.HeartbeatAsync()).Known);
        await using var withOld = TestAgent.Connect(factory, old);
        Assert.Contains("401", (await Assert.ThrowsAnyAsync<Exception>(() => withOld.StartAsync())).Message);
        await node.DisposeAsync();
        await using var withNew = await TestAgent.JoinAsync(factory, name);
        Assert.Equal(node.NodeId, withNew.NodeId);
    }

    [Fact]
    public async Task CredentialsApi_ListsWithoutSecrets_AndRefusesBadInputWithTheReason()
    {
        await using var node = await TestAgent.JoinAsync(factory, Unique("listed"));
        var listed = Assert.Single(await CredentialsAsync(), c => c.NodeId == node.NodeId);
        Assert.Equal((node.Name, true), (listed.NodeName, listed.Connected));
        Assert.DoesNotContain(node.Credential!, await _api.GetStringAsync("/api/nodes/credentials"));

        await ProblemAssert.IsProblemAsync(await _api.DeleteAsync("/api/nodes/not-a-node/credential"), HttpStatusCode.BadRequest, "'not-a-node' is not a node id");
        await ProblemAssert.IsProblemAsync(await _api.PostAsync("/api/nodes/not-a-node/credential/rotate", null), HttpStatusCode.BadRequest, "GUIDs");
        await ProblemAssert.IsProblemAsync(await _api.DeleteAsync($"/api/nodes/{Guid.NewGuid()}/credential"), HttpStatusCode.NotFound, "No node has id");
        await node.DisposeAsync();
        await WaitAsync(() => CredentialsAsync(), all => all.Single(c => c.NodeId == node.NodeId).Connected == false);
        await ProblemAssert.IsProblemAsync(await _api.PostAsync($"/api/nodes/{node.NodeId}/credential/rotate", null), HttpStatusCode.Conflict, "is not connected");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/api/nodes/{node.NodeId}/credential")).StatusCode);
        await ProblemAssert.IsProblemAsync(await _api.DeleteAsync($"/api/nodes/{node.NodeId}/credential"), HttpStatusCode.NotFound, "has no credential");
    }

    [Fact]
    public async Task CredentialsApi_NeedsAdmin_AndIsInTheOpenApiDocument()
    {
        var created = await (await _api.PostAsJsonAsync("/api/tokens", new { name = "read-write", scopes = new[] { "read", "write" } })).Content.ReadFromJsonAsync<Security.CreatedToken>();
        var writer = factory.CreateApiClient(created!.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/nodes/credentials")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.DeleteAsync($"/api/nodes/{Guid.NewGuid()}/credential")).StatusCode);

        var paths = JsonDocument.Parse(await _api.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/nodes/credentials", out _));
        Assert.True(paths.TryGetProperty("/api/nodes/{id}/credential", out _));
        Assert.True(paths.TryGetProperty("/api/nodes/{id}/credential/rotate", out _));
    }

    private async Task<List<NodeCredentialDto>> CredentialsAsync() => (await _api.GetFromJsonAsync<List<NodeCredentialDto>>("/api/nodes/credentials"))!;

    private static async Task WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!done(await read()))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}

public sealed class SqliteNodeCredentialTests(SqliteControlPlaneFactory factory) : NodeCredentialTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresNodeCredentialTests(PostgresControlPlaneFactory factory) : NodeCredentialTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
