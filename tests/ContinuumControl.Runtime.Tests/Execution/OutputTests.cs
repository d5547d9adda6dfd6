using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Execution;

public class OutputTests
{
    private static WorkloadSpec Flood(long? outputLimit, params string[] args) =>
        new("flood", FloodGuest.Module, args, new Dictionary<string, string>(), 64L << 20, OutputLimitBytes: outputLimit) ;

    private static WorkloadOptions Options => new() { Instrumentation = Instrumented.Options };

    [Fact]
    public void Run_ManySmallUnbufferedWrites_AllArriveInOrderInLargePieces()
    {
        using var engine = RuntimeEngine.Create();
        var sink = new ContiguousSink();
        using var instance = new WorkloadInstance(engine, Flood(null, "200000", "0", "stderr"), sink, Options);

        var outcome = instance.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Null(sink.Error);
        Assert.Equal(FloodGuest.Expected(200000, 0), sink.Stderr);
        Assert.StartsWith("flood: 200000 writes, 10100000 bytes", System.Text.Encoding.UTF8.GetString(sink.Stdout));
        // One sink call per guest write was what made output slow; pieces are what keep it at file speed.
        Assert.True(sink.Writes < 1000, $"{sink.Writes} sink calls for 200000 guest writes");
    }

    [Fact]
    public void Run_OutputPastItsLimit_FailsNamingTheLimitAndKeepsWhatFits()
    {
        using var engine = RuntimeEngine.Create();
        var sink = new ContiguousSink();
        using var instance = new WorkloadInstance(engine, Flood(1L << 20, "100000", "100", "stdout"), sink, Options);

        var outcome = instance.Run();

        Assert.False(outcome.Succeeded);
        Assert.Contains("output exceeded its limit of 1 MiB", outcome.FailureReason);
        Assert.Null(sink.Error);
        Assert.Equal(FloodGuest.Expected(100000, 100).AsSpan(0, 1 << 20).ToArray(), sink.Stdout);
    }

    [Fact]
    public async Task Restore_HeavyOutputMovedMidRun_StreamsAreByteIdenticalWithNothingLostOrDoubled()
    {
        var spec = Flood(null, "400000", "0", "stderr");
        using var directory = new TestDirectory();
        IChunkStore store = new FileChunkStore(directory.Sub("chunks"));
        var sink = new ContiguousSink();
        var moves = 0;
        var engine = RuntimeEngine.Create();
        var instance = new WorkloadInstance(engine, spec, sink, Options);
        var moduleBytes = instance.Module.Bytes;
        var random = new Random(21);
        RunOutcome outcome;
        try
        {
            while (true)
            {
                var current = instance;
                var run = Task.Factory.StartNew(() => current.Run(), TaskCreationOptions.LongRunning);
                if (moves >= 3)
                {
                    outcome = await run;
                    break;
                }
                Thread.Sleep(random.Next(50, 300));
                CheckpointManifest manifest;
                try
                {
                    manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
                }
                catch (InvalidOperationException)
                {
                    outcome = await run;
                    break;
                }
                // The checkpoint's offsets say exactly how much output the sink has at the pause.
                Assert.Equal(sink.Stderr.Length, manifest.Wasi.StderrOffset);
                instance.Discard();
                Assert.True((await run).Discarded);
                instance.Dispose();
                engine.Dispose();
                engine = RuntimeEngine.Create();
                instance = await WorkloadInstance.RestoreAsync(engine, CheckpointManifestSerializer.Parse(CheckpointManifestSerializer.ToBytes(manifest)), store, moduleBytes, sink);
                moves++;
            }
        }
        finally
        {
            instance.Dispose();
            engine.Dispose();
        }

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.True(moves >= 1, "the workload finished before its first move; lengthen the run");
        Assert.Null(sink.Error);
        Assert.Equal(FloodGuest.Expected(400000, 0), sink.Stderr);
        Assert.Equal(Unmoved(spec).Stdout, sink.Stdout);
    }

    private static ContiguousSink Unmoved(WorkloadSpec spec)
    {
        using var engine = RuntimeEngine.Create();
        var sink = new ContiguousSink();
        using var instance = new WorkloadInstance(engine, spec, sink, Options);
        Assert.True(instance.Run().Succeeded);
        return sink;
    }
}
