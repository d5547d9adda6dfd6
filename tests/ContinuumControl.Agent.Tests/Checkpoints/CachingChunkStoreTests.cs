using System.Security.Cryptography;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Runtime.Checkpoints;
using ZstdSharp;

namespace ContinuumControl.Agent.Tests.Checkpoints;

/// <summary>The agent's local chunk cache keeps only chunks whose content matches their name (a file store's contract).</summary>
public sealed class CachingChunkStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cc-agent-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeControlPlane _controlPlane = new();
    private readonly FileChunkStore _local;
    private readonly CachingChunkStore _cache;

    public CachingChunkStoreTests()
    {
        _local = new FileChunkStore(Path.Combine(_directory, "chunks"));
        var options = new AgentOptions { ServerUrl = "http://control-plane.test", JoinToken = "ccj_test", Name = "edge-1", DataDirectory = _directory };
        _cache = new CachingChunkStore(_local, new ControlPlaneChunkStore(options, _controlPlane));
    }

    private static (string Hash, byte[] Bytes) Chunk()
    {
        var page = RandomNumberGenerator.GetBytes(CheckpointManifest.PageSize);
        using var compressor = new Compressor(1);
        return (Convert.ToHexStringLower(SHA256.HashData(page)), compressor.Wrap(page).ToArray());
    }

    [Fact]
    public async Task PersistAsync_KeepsIntactChunks_AndRefusesAMisnamedOneNamingIt()
    {
        var good = Chunk();
        var misnamed = (Chunk().Hash, Chunk().Bytes);

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => _cache.PersistAsync([misnamed, good], CancellationToken.None));

        Assert.Contains($"chunk {misnamed.Hash} is corrupt: its content hashes to", error.Reason);
        Assert.True(await _local.ContainsAsync(good.Hash));
        Assert.False(await _local.ContainsAsync(misnamed.Hash));
    }

    [Fact]
    public async Task GetAsync_MisnamedChunkFromTheControlPlane_IsRefusedAndNotCached()
    {
        var misnamed = (Chunk().Hash, Chunk().Bytes);
        _controlPlane.Chunks[misnamed.Hash] = misnamed.Bytes;

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(async () => await _cache.GetAsync(misnamed.Hash));

        Assert.Contains($"chunk {misnamed.Hash} is corrupt", error.Reason);
        Assert.False(await _local.ContainsAsync(misnamed.Hash));
    }

    public void Dispose()
    {
        _controlPlane.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
