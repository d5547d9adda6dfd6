using System.Net;
using System.Net.Http.Headers;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Server.Tests.Fixtures;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>The chunk store agents use during migrations: node credentials only, and bad input refused with the reason.</summary>
public sealed class ChunksApiTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>, IAsyncLifetime
{
    private TestAgent _node = null!;
    private HttpClient _agent = null!;

    public async Task InitializeAsync()
    {
        _node = await TestAgent.JoinAsync(factory, $"chunks-{Guid.NewGuid():N}");
        _agent = _node.CreateHttpClient();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static ByteArrayContent Bytes(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    [Fact]
    public async Task PutThenGet_RoundTrips_AndBatchFetchReturnsIt()
    {
        var (hash, bytes) = TestChunks.Random();
        Assert.Equal(HttpStatusCode.NoContent, (await _agent.PutAsync($"/api/agent/chunks/{hash}", Bytes(bytes))).StatusCode);
        await WorkloadSeed.CheckpointedAsync(factory, _node.NodeId, new string('a', 64), hash);
        Assert.Equal(bytes, await _agent.GetByteArrayAsync($"/api/agent/chunks/{hash}"));
        var batch = await _agent.PostAsync(ChunkBatch.FetchRoute, Bytes(ChunkBatch.WriteNames([hash])));
        var chunks = ChunkBatch.Read(await batch.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes, Assert.Single(chunks, c => c.Hash == hash).Bytes);
    }

    [Fact]
    public async Task Put_ContentNotMatchingItsName_Returns400_AndStoresNothing()
    {
        var (hash, bytes) = TestChunks.Misnamed();

        await ProblemAssert.IsProblemAsync(await _agent.PutAsync($"/api/agent/chunks/{hash}", Bytes(bytes)), HttpStatusCode.BadRequest, $"chunk {hash} is corrupt: its content hashes to");

        await WorkloadSeed.CheckpointedAsync(factory, _node.NodeId, new string('a', 64), hash);
        Assert.Equal(HttpStatusCode.NotFound, (await _agent.GetAsync($"/api/agent/chunks/{hash}")).StatusCode);
    }

    [Fact]
    public async Task Put_NotZstd_Returns400SayingItDoesNotDecompress()
    {
        var hash = new string('a', 64);
        await ProblemAssert.IsProblemAsync(await _agent.PutAsync($"/api/agent/chunks/{hash}", Bytes([1, 2, 3])), HttpStatusCode.BadRequest, "does not decompress");
    }

    [Fact]
    public async Task Batch_WithOneMisnamedChunk_Returns400_AndStoresNoneOfIt()
    {
        var good = TestChunks.Random();
        var bad = TestChunks.Misnamed();

        var response = await _agent.PostAsync(ChunkBatch.UploadRoute, Bytes(ChunkBatch.Write([good, bad])));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, $"chunk {bad.Hash} is corrupt");
        await WorkloadSeed.CheckpointedAsync(factory, _node.NodeId, new string('a', 64), good.Hash);
        Assert.Equal(HttpStatusCode.NotFound, (await _agent.GetAsync($"/api/agent/chunks/{good.Hash}")).StatusCode);
    }

    [Fact]
    public async Task BadHash_Returns400()
    {
        await ProblemAssert.IsProblemAsync(await _agent.PutAsync("/api/agent/chunks/NOT-A-HASH", Bytes([1])), HttpStatusCode.BadRequest, "64 lower-case hex");
    }

    [Fact]
    public async Task EmptyChunk_Returns400()
    {
        await ProblemAssert.IsProblemAsync(await _agent.PutAsync($"/api/agent/chunks/{new string('b', 64)}", Bytes([])), HttpStatusCode.BadRequest, "1 byte");
    }

    [Fact]
    public async Task GarbageBatch_Returns400()
    {
        await ProblemAssert.IsProblemAsync(await _agent.PostAsync(ChunkBatch.UploadRoute, Bytes([1, 2, 3])), HttpStatusCode.BadRequest, "chunk batch");
    }

    [Fact]
    public async Task UnknownChunk_Returns404()
    {
        await WorkloadSeed.CheckpointedAsync(factory, _node.NodeId, new string('a', 64), new string('c', 64));
        Assert.Equal(HttpStatusCode.NotFound, (await _agent.GetAsync($"/api/agent/chunks/{new string('c', 64)}")).StatusCode);
    }

    [Fact]
    public async Task ApiToken_IsNotAnAgent()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateApiClient().GetAsync($"/api/agent/chunks/{new string('a', 64)}")).StatusCode);
    }

    [Fact]
    public async Task JoinToken_IsNotANode_Returns403SayingToUseTheNodeCredential()
    {
        var (hash, bytes) = TestChunks.Random();
        var joinOnly = factory.CreateApiClient(ControlPlaneFactory.JoinToken);

        await ProblemAssert.IsProblemAsync(await joinOnly.PutAsync($"/api/agent/chunks/{hash}", Bytes(bytes)), HttpStatusCode.Forbidden, "node credential");
        await ProblemAssert.IsProblemAsync(await joinOnly.GetAsync($"/api/agent/chunks/{hash}"), HttpStatusCode.Forbidden, "node credential");
    }
}
