using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

public class PeriodicCheckpointTests
{
    [Fact]
    public async Task RequestCheckpoint_ContinueTwice_WorkloadFinishesAndSecondCheckpointSharesChunks()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        // Scale 24: rep 8 of 48, so two checkpoints and their writes fit well before the end. With scale 6 the
        // workload often ended first when this test ran alone, in a process whose compressor was not compiled yet.
        using var instance = new WorkloadInstance(engine, Workloads.Spec("never-yields", "24"), sink);
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);

        // Past the initialisation of matrix b, whose pages stay unchanged from then on.
        while (!sink.StdoutText.Contains("matmul rep 8", StringComparison.Ordinal) && !run.IsCompleted)
        {
            await Task.Delay(5);
        }
        var first = await instance.RequestCheckpoint(CheckpointMode.Continue, store);
        var firstTiming = instance.LastCheckpointTiming!;
        var second = await instance.RequestCheckpoint(CheckpointMode.Continue, store);
        var secondTiming = instance.LastCheckpointTiming!;
        var outcome = await run;

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(first.ChunkHashes().Count(), firstTiming.NewChunks);
        Assert.True(secondTiming.NewChunks < second.ChunkHashes().Count(), $"{secondTiming.NewChunks} new of {second.ChunkHashes().Count()}");
        Assert.NotEmpty(first.ChunkHashes().Intersect(second.ChunkHashes()));
        Assert.True(second.Wasi.StdoutOffset >= first.Wasi.StdoutOffset);
        Assert.True(second.Sequence == first.Sequence + 1);
        MigrationDriver.Uninterrupted(Workloads.Spec("never-yields", "24")).AssertSameAs(sink);
    }

    [Fact]
    public async Task Resume_AfterPausedCheckpoint_WorkloadFinishesNormally()
    {
        using var directory = new TestDirectory();
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        using var instance = new WorkloadInstance(engine, Workloads.Spec("never-yields", "6"), sink);
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);

        await Task.Delay(80);
        await instance.RequestCheckpoint(CheckpointMode.Pause, new FileChunkStore(directory.Sub("chunks")));
        Assert.Equal(WorkloadInstanceState.Paused, instance.State);
        instance.Resume();
        var outcome = await run;

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        MigrationDriver.Uninterrupted(Workloads.Spec("never-yields", "6")).AssertSameAs(sink);
    }
}
