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
        CheckpointManifest manifest;
        try
        {
            manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
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
}
