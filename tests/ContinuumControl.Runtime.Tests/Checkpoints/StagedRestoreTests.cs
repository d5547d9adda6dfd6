using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>
/// A two-stage restore: an instance staged from a pre-copy while the source runs, taken over by the restore of the
/// final checkpoint, which then writes only the pages that changed since. The output must equal an unmigrated run.
/// </summary>
public class StagedRestoreTests
{
    // 4 MiB filled with a seeded pattern; 4 hot pages rewritten per step; the last line counts damaged cold words.
    private static readonly WorkloadSpec WorkingSet = Workloads.Spec("working-set", "20000", "4", "4", "8", "7");

    private static readonly Lazy<RunOutput> Expected = new(() => MigrationDriver.Uninterrupted(WorkingSet));

    [Fact]
    public async Task RestoreAsync_WithAStagedPreCopy_ReadsOnlyChangedPages_AndOutputIsIdentical()
    {
        using var directory = new TestDirectory();
        var store = new CountingChunkStore(new FileChunkStore(directory.Sub("chunks")));
        var sink = new CollectingSink();
        var (preCopy, final, module) = await PreCopyThenPauseAsync(WorkingSet, store, sink);
        using var engine = RuntimeEngine.Create();
        using var staged = await StagedRestore.PrepareAsync(engine, preCopy, store, module);
        var changed = final.Pages.Where(p => !preCopy.Pages.Contains(p)).Select(p => p.Chunk).Distinct().Count();
        store.Reads = 0;

        using var restored = await WorkloadInstance.RestoreAsync(engine, final, store, module, sink, new RestoreOptions { Staged = staged });
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.True(restored.LastRestoreTiming!.Staged, "the staged instance was not taken over");
        Assert.Equal(changed, store.Reads);
        Assert.True(store.Reads < final.ChunkHashes().Count(), $"read {store.Reads} of {final.ChunkHashes().Count()} chunks");
        Expected.Value.AssertSameAs(sink);
        Assert.Equal("it was already used or disposed", staged.Mismatch(final, new RestoreOptions()));
    }

    [Fact]
    public async Task RestoreAsync_StagedInstanceDoesNotFit_RestoresFromScratch_AndOutputIsIdentical()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var sink = new CollectingSink();
        var (preCopy, final, module) = await PreCopyThenPauseAsync(WorkingSet, store, sink);
        using var engine = RuntimeEngine.Create();
        using var staged = await StagedRestore.PrepareAsync(engine, preCopy, store, module);
        var otherLimit = new RestoreOptions { Staged = staged, MemoryLimitBytes = 128L * 1024 * 1024 };

        Assert.Equal("the restore has another memory limit", staged.Mismatch(final, otherLimit));
        using var restored = await WorkloadInstance.RestoreAsync(engine, final, store, module, sink, otherLimit);
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.False(restored.LastRestoreTiming!.Staged);
        Expected.Value.AssertSameAs(sink);
        Assert.Null(staged.Mismatch(final, new RestoreOptions()));
    }

    [Fact]
    public async Task RestoreAsync_StagedFromAnotherWorkload_IsNotUsed()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (other, _) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var sink = new CollectingSink();
        var (_, final, module) = await PreCopyThenPauseAsync(WorkingSet, store, sink);
        using var engine = RuntimeEngine.Create();
        using var staged = await StagedRestore.PrepareAsync(engine, other, store, Instrumented.Sample("hello").Bytes);

        Assert.Equal("the checkpoint is of another module or workload", staged.Mismatch(final, new RestoreOptions()));
        using var restored = await WorkloadInstance.RestoreAsync(engine, final, store, module, sink, new RestoreOptions { Staged = staged });
        Assert.True(restored.Run().Succeeded);
        Assert.False(restored.LastRestoreTiming!.Staged);
        Expected.Value.AssertSameAs(sink);
    }

    [Fact]
    public async Task PrepareAsync_CorruptedChunk_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var victim = await Checkpointing.CorruptLastPageAsync(manifest, store);
        using var engine = RuntimeEngine.Create();

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => StagedRestore.PrepareAsync(engine, manifest, store, module));

        Assert.Contains($"chunk {victim} is corrupt", error.Reason);
    }

    /// <summary>Runs <paramref name="spec"/>, takes a Continue checkpoint (the pre-copy), lets it run on, then pauses it and discards the source.</summary>
    private static async Task<(CheckpointManifest PreCopy, CheckpointManifest Final, byte[] Module)> PreCopyThenPauseAsync(WorkloadSpec spec, IChunkStore store, CollectingSink sink)
    {
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, spec, sink);
        // Requested before the run starts: taken at the first safe point, after the cold memory is filled.
        var preCopyTask = instance.RequestCheckpoint(CheckpointMode.Continue, store);
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        var preCopy = await preCopyTask;
        // The hot pages change between the two checkpoints (each step rewrites one of them).
        Thread.Sleep(100);
        var final = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
        instance.Discard();
        Assert.True((await run).Discarded);
        Assert.True(final.Sequence == preCopy.Sequence + 1);
        return (preCopy, final, instance.Module.Bytes);
    }

    private sealed class CountingChunkStore(IChunkStore inner) : IChunkStore
    {
        private int reads;

        public int Reads
        {
            get => Volatile.Read(ref reads);
            set => Volatile.Write(ref reads, value);
        }

        public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => inner.ContainsAsync(hash, cancellationToken);

        public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default) => inner.PutAsync(hash, compressed, cancellationToken);

        public ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref reads);
            return inner.GetAsync(hash, cancellationToken);
        }
    }
}
