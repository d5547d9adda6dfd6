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
        var victim = manifest.Pages.Select(p => p.Chunk).First(chunk =>
        {
            var bytes = File.ReadAllBytes(store.PathOf(chunk));
            return RawZstdFrame.ContentOffset(bytes.AsSpan(0, RawZstdFrame.HeaderLimit), bytes.Length, CheckpointManifest.PageSize) is not null;
        });
        var file = await File.ReadAllBytesAsync(store.PathOf(victim));
        file[file.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(store.PathOf(victim), file);
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => WorkloadInstance.RestoreAsync(engine, manifest, store, module, new CollectingSink()));

        Assert.Contains($"chunk {victim} is corrupt: its content hashes to", error.Reason);
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
