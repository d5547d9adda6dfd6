using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>Pages verified ahead of a restore (a migration target's prefetch) are used as they are; everything else is still checked.</summary>
public class VerifiedPagesTests
{
    [Fact]
    public async Task AddAsync_CorruptedChunk_IsRefusedNamingTheChunk()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (manifest, _) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, new CollectingSink());
        var victim = await Checkpointing.CorruptLastPageAsync(manifest, store);

        var error = await Assert.ThrowsAsync<CheckpointRejectedException>(() => new VerifiedPages().AddAsync(manifest.ChunkHashes(), store));

        Assert.Contains($"chunk {victim} is corrupt", error.Reason);
    }

    [Fact]
    public async Task RestoreAsync_WithPagesVerifiedBefore_DoesNotReadThemAgain_AndOutputIsIdentical()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var first = new CollectingSink();
        var (manifest, module) = await Checkpointing.TakeAsync(Workloads.Spec("hello", "6"), store, first);
        var verified = new VerifiedPages();
        await verified.AddAsync(manifest.ChunkHashes(), store);
        // Gone from the store after the prefetch verified them: a restore that read them again would be refused.
        foreach (var hash in manifest.ChunkHashes())
        {
            File.Delete(store.PathOf(hash));
        }
        using var engine = RuntimeEngine.Create();

        // The same sink: output is written at its byte offsets, so the restored run continues where the first stopped.
        using var restored = await WorkloadInstance.RestoreAsync(engine, manifest, store, module, first, new RestoreOptions { VerifiedPages = verified });
        var outcome = restored.Run();

        var uninterrupted = new CollectingSink();
        using (var reference = new WorkloadInstance(engine, Workloads.Spec("hello", "6"), uninterrupted))
        {
            Assert.True(reference.Run().Succeeded);
        }
        Assert.True(outcome.Succeeded, outcome.FailureReason);
        RunOutput.Of(uninterrupted).AssertSameAs(first);
    }
}
