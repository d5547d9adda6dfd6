using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Support;

internal static class Checkpointing
{
    /// <summary>Runs <paramref name="spec"/>, pauses it after <paramref name="delayMs"/> at a checkpoint, discards it and returns the manifest.</summary>
    public static async Task<(CheckpointManifest Manifest, byte[] ModuleBytes)> TakeAsync(WorkloadSpec spec, IChunkStore store, CollectingSink sink, int delayMs = 30)
    {
        using var engine = RuntimeEngine.Create();
        using var instance = new WorkloadInstance(engine, spec, sink);
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        await Task.Delay(delayMs);
        var manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
        instance.Discard();
        Assert.True((await run).Discarded);
        return (manifest, instance.Module.Bytes);
    }
}
