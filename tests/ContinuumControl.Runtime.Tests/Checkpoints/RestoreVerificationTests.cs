using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

public class RestoreVerificationTests
{
    [Fact]
    public async Task RestoreAsync_CorruptedChunk_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var victim = await Checkpointing.CorruptLastPageAsync(manifest, store);
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, module, sink));

        Assert.Contains($"chunk {victim} is corrupt", error.Reason);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task RestoreAsync_CorruptedIncompressiblePage_ReadInPlace_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("big-heap", "50000", "2"), store, new CollectingSink(), delayMs: 200);
        // A page of the random heap: stored as one raw zstd block, which the restore reads straight into memory.
        var victim = await Checkpointing.CorruptRawPageAsync(manifest, store);
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, module, new CollectingSink()));

        Assert.Contains($"chunk {victim} is corrupt: its content does not match the page's fingerprint", error.Reason);
    }

    [Fact]
    public async Task RestoreAsync_ChunkFileSwappedForAnotherIntactChunk_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("big-heap", "50000", "2"), store, new CollectingSink(), delayMs: 200);
        var chunks = manifest.ChunkHashes().ToList();
        // A whole, valid chunk under the wrong name: no bit is damaged, only which content the name holds.
        File.Copy(store.PathOf(chunks[^1]), store.PathOf(chunks[^2]), overwrite: true);
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, module, sink));

        Assert.Contains($"chunk {chunks[^2]} is corrupt", error.Reason);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task RestoreAsync_ManifestWithoutFingerprints_ChecksSha256Names()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("big-heap", "50000", "2"), store, new CollectingSink(), delayMs: 200);
        Assert.All(manifest.Pages, p => Assert.NotNull(p.Fingerprint));
        // As written before pages carried fingerprints.
        var older = manifest with { Pages = manifest.Pages.Select(p => p with { Fingerprint = null }).ToList() };
        // A raw page with a flipped bit still decompresses, so only the hash can tell.
        var victim = await Checkpointing.CorruptRawPageAsync(older, store);
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, older, store, module, new CollectingSink()));

        Assert.Contains($"chunk {victim} is corrupt: its content hashes to", error.Reason);
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123")]
    public async Task RestoreAsync_MalformedFingerprint_IsRefusedAsInconsistent(string fingerprint)
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var damaged = manifest with { Pages = [manifest.Pages[0] with { Fingerprint = fingerprint }, .. manifest.Pages.Skip(1)] };
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, damaged, store, module, new CollectingSink()));

        Assert.Contains($"page {manifest.Pages[0].Index} has fingerprint '{fingerprint}', not 32 lower-case hex digits", error.Reason);
    }

    [Fact]
    public async Task RestoreAsync_PagesSharingAChunkWithDifferentFingerprints_IsRefusedAsInconsistent()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var first = manifest.Pages[0];
        // A second page said to hold the same chunk, with another fingerprint: one of the two must be wrong.
        var twin = first with { Index = manifest.MemoryPages - 1, Fingerprint = new string('0', 32) };
        var damaged = manifest with { Pages = [.. manifest.Pages.Where(p => p.Index != twin.Index), twin] };
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, damaged, store, module, new CollectingSink()));

        Assert.Contains($"pages holding chunk {first.Chunk} have different fingerprints", error.Reason);
    }

    [Fact]
    public async Task RestoreAsync_MissingChunk_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        File.Delete(store.PathOf(manifest.Pages[0].Chunk));
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, module, new CollectingSink()));

        Assert.Contains($"chunk {manifest.Pages[0].Chunk}", error.Reason);
        Assert.Contains("missing", error.Reason);
    }

    [Fact]
    public async Task Parse_TruncatedManifest_IsRefusedAsTruncated()
    {
        using var directory = new TestDirectory();
        var (manifest, _) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), new FileChunkStore(directory.Sub("chunks")), new CollectingSink());
        var bytes = CheckpointManifestSerializer.ToBytes(manifest);

        var error = Assert.Throws<CheckpointRejectedException>(() => CheckpointManifestSerializer.Parse(bytes.AsSpan(0, bytes.Length / 2)));

        Assert.Contains("truncated or not valid JSON", error.Reason);
    }

    [Fact]
    public async Task RestoreAsync_WrongModule_IsRefusedNamingBothHashes()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, _) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var other = Instrumented.Sample("counter");
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, other.Bytes, new CollectingSink()));

        Assert.Contains($"taken from module {manifest.ModuleHash}", error.Reason);
        Assert.Contains(other.Hash, error.Reason);
    }
}
