using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Support;

internal static class Checkpointing
{
    /// <summary>
    /// Runs <paramref name="spec"/>, pauses it at a checkpoint, discards it and returns the manifest. With no
    /// <paramref name="delayMs"/> the request is made before the run starts, so the checkpoint is taken at the
    /// first safe point whatever the machine's load (for a cooperative sample, after its first line of output).
    /// </summary>
    public static async Task<(CheckpointManifest Manifest, byte[] ModuleBytes)> TakeAsync(WorkloadSpec spec, IChunkStore store, CollectingSink sink, int delayMs = 0)
    {
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, spec, sink);
        Task<CheckpointManifest>? requested = delayMs == 0 ? instance.RequestCheckpoint(CheckpointMode.Pause, store) : null;
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        if (requested is null)
        {
            // Blocks this thread rather than awaiting a timer: on a loaded machine a starved thread pool can run
            // the continuation of Task.Delay much later than asked, after a short workload has ended.
            Thread.Sleep(delayMs);
        }
        CheckpointManifest manifest;
        try
        {
            manifest = await (requested ?? instance.RequestCheckpoint(CheckpointMode.Pause, store));
        }
        catch (InvalidOperationException) when (run.IsCompleted)
        {
            // Say how the run ended: a workload that ends this early failed, and its reason is the finding.
            var outcome = await run;
            throw new Xunit.Sdk.XunitException($"'{spec.Name}' ended before the checkpoint after {delayMs} ms: succeeded={outcome.Succeeded}, exit={outcome.ExitCode}, reason={outcome.FailureReason}, stdout={sink.StdoutText}");
        }
        instance.Discard();
        Assert.True((await run).Discarded);
        return (manifest, instance.Module.Bytes);
    }

    /// <summary>Flips bits near the end of the last page's chunk file (the zstd frame then fails its checks) and returns that chunk's name.</summary>
    /// <summary>Flips a bit in the middle of the first page stored as one raw zstd block (random data); returns its chunk.</summary>
    public static async Task<string> CorruptRawPageAsync(CheckpointManifest manifest, FileChunkStore store)
    {
        var victim = manifest.Pages.Select(p => p.Chunk).First(chunk =>
        {
            var bytes = File.ReadAllBytes(store.PathOf(chunk));
            return RawZstdFrame.ContentOffset(bytes.AsSpan(0, RawZstdFrame.HeaderLimit), bytes.Length, CheckpointManifest.PageSize) is not null;
        });
        var file = await File.ReadAllBytesAsync(store.PathOf(victim));
        file[file.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(store.PathOf(victim), file);
        return victim;
    }

    public static async Task<string> CorruptLastPageAsync(CheckpointManifest manifest, FileChunkStore store)
    {
        var victim = manifest.Pages[^1].Chunk;
        var bytes = await File.ReadAllBytesAsync(store.PathOf(victim));
        bytes[^3] ^= 0x5A;
        await File.WriteAllBytesAsync(store.PathOf(victim), bytes);
        return victim;
    }
}
