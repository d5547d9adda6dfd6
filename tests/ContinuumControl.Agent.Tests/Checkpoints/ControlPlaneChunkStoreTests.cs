using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Tests.Support;

namespace ContinuumControl.Agent.Tests.Checkpoints;

/// <summary>
/// The agent's upload queue is shared by its workloads: a migration's final checkpoint carries only its own queued
/// chunks with its report, and what it carries is still uploaded for the other workloads that name it.
/// </summary>
public sealed class ControlPlaneChunkStoreTests : IDisposable
{
    private readonly FakeControlPlane _controlPlane = new();
    private readonly ControlPlaneChunkStore _store;

    public ControlPlaneChunkStoreTests()
    {
        var options = new AgentOptions { ServerUrl = "http://control-plane.test", JoinToken = "ccj_test", Name = "edge-1", DataDirectory = Path.GetTempPath() };
        _store = new ControlPlaneChunkStore(options, _controlPlane);
    }

    private static string Name(char c) => new(c, 64);

    [Fact]
    public async Task CopyQueuedAsync_ReturnsOnlyTheNamedChunks_AndTheQueueIsStillUploaded()
    {
        await _store.PutAsync(Name('a'), new byte[] { 1 });
        await _store.PutAsync(Name('b'), new byte[] { 2 });
        await _store.PutAsync(Name('c'), new byte[] { 3 });

        // Workload A's final checkpoint names a and c (c is a page it shares with workload B, which queued it).
        var inline = await _store.CopyQueuedAsync(new HashSet<string> { Name('a'), Name('c') }, 1 << 20);

        Assert.Equal([Name('a'), Name('c')], inline!.Select(c => c.Hash).Order());
        Assert.Empty(_controlPlane.Chunks);
        // Workload B's next checkpoint flushes: b, and c which B counts on, reach the control plane.
        await _store.FlushAsync();
        Assert.Equal([Name('a'), Name('b'), Name('c')], _controlPlane.Chunks.Keys.Order());
    }

    [Fact]
    public async Task CopyQueuedAsync_NoneOfTheNamedChunksQueued_ReturnsNull_AndUploadsNothing()
    {
        await _store.PutAsync(Name('b'), new byte[] { 2 });

        var inline = await _store.CopyQueuedAsync(new HashSet<string> { Name('a') }, 1 << 20);

        Assert.Null(inline);
        Assert.Empty(_controlPlane.Chunks);
    }

    [Fact]
    public async Task CopyQueuedAsync_MoreThanFitsInline_UploadsTheQueueInstead()
    {
        await _store.PutAsync(Name('a'), new byte[100]);
        await _store.PutAsync(Name('b'), new byte[100]);

        var inline = await _store.CopyQueuedAsync(new HashSet<string> { Name('a'), Name('b') }, maxBytes: 150);

        Assert.Null(inline);
        Assert.Equal([Name('a'), Name('b')], _controlPlane.Chunks.Keys.Order());
    }

    public void Dispose() => _controlPlane.Dispose();
}
