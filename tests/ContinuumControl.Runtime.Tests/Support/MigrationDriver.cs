using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Wasmtime;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>
/// Runs a workload and moves it at seeded random moments: pause at a checkpoint, discard the source, restore in a
/// fresh engine from the manifest (round-tripped through its JSON bytes) and the chunk store, and carry on.
/// </summary>
internal sealed class MigrationDriver(IChunkStore store, int seed)
{
    private readonly Random random = new(seed);

    public int Moves { get; private set; }

    /// <summary>Run on engines with the epoch backstop (<see cref="RuntimeEngine.Create"/>).</summary>
    public bool EpochBackstop { get; init; }

    public List<CheckpointManifest> Manifests { get; } = [];

    public async Task<RunOutcome> RunAsync(WorkloadSpec spec, CollectingSink sink, int maxMoves, int maxDelayMs, RestoreOptions? restore = null)
    {
        var engine = RuntimeEngine.Create(epochBackstop: EpochBackstop);
        var options = new WorkloadOptions { EngineBackstop = EpochBackstop ? TimeSpan.FromSeconds(5) : null };
        var instance = new WorkloadInstance(engine, spec, sink, options);
        var moduleBytes = instance.Module.Bytes;
        try
        {
            while (true)
            {
                var current = instance;
                var run = Task.Factory.StartNew(() => current.Run(), TaskCreationOptions.LongRunning);
                if (Moves >= maxMoves)
                {
                    return await run;
                }
                // Blocks rather than awaiting a timer: on a loaded machine a starved thread pool runs a Task.Delay
                // continuation late, and the workload (on its own thread) may finish before the planned moves.
                Thread.Sleep(random.Next(0, maxDelayMs));
                CheckpointManifest manifest;
                try
                {
                    manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
                }
                catch (InvalidOperationException)
                {
                    // The workload ended before reaching another safe point.
                    return await run;
                }
                instance.Discard();
                var discarded = await run;
                Assert.True(discarded.Discarded, discarded.FailureReason);
                Manifests.Add(manifest);
                instance.Dispose();
                engine.Dispose();
                engine = RuntimeEngine.Create(epochBackstop: EpochBackstop);
                var bytes = CheckpointManifestSerializer.ToBytes(manifest);
                instance = await WorkloadInstance.RestoreAsync(engine, CheckpointManifestSerializer.Parse(bytes), store, moduleBytes, sink, (restore ?? new RestoreOptions()) with { Workload = options });
                Moves++;
            }
        }
        finally
        {
            instance.Dispose();
            engine.Dispose();
        }
    }

    /// <summary>The run's stdout and stderr without any move, the reference every moved run must equal byte for byte.</summary>
    public static RunOutput Uninterrupted(WorkloadSpec spec)
    {
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        using var instance = new WorkloadInstance(engine, spec, sink);
        var outcome = instance.Run();
        Assert.True(outcome.Succeeded, outcome.FailureReason);
        return RunOutput.Of(sink);
    }
}
