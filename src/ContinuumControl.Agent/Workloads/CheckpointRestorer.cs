using System.Collections.Concurrent;
using System.Text;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Wasmtime;

namespace ContinuumControl.Agent.Workloads;

/// <summary>What the caller of a restore does at each step (the migration target reports them; recovery reports less).</summary>
public sealed record RestoreSteps
{
    /// <summary>Before the missing chunks are fetched.</summary>
    public Func<Task> Fetching { get; init; } = () => Task.CompletedTask;

    /// <summary>All chunks are at hand; the argument is how many bytes were fetched.</summary>
    public Func<long, Task> Fetched { get; init; } = _ => Task.CompletedTask;

    /// <summary>On the workload's thread: the state is loaded into a new instance.</summary>
    public Action Loaded { get; init; } = () => { };

    /// <summary>On the workload's thread: the restored workload continues (the end of the downtime).</summary>
    public Action<ActiveWorkload, DateTimeOffset> Resumed { get; init; } = (_, _) => { };

    /// <summary>On the workload's thread: the checkpoint could not be restored (the run then ends as Failed unless the copy is discarded here).</summary>
    public Action<ActiveWorkload, Exception> Failed { get; init; } = (_, _) => { };

    /// <summary>The staged chunks are no longer needed (restored, or failed).</summary>
    public Action Released { get; init; } = () => { };
}

/// <summary>
/// Starts a workload on this node from a checkpoint in the control plane's chunk store: fetches the chunks the node
/// lacks, verifies and restores them into a new instance, and runs it under the command's generation with its output
/// continuing at the manifest's offsets. The migration target and recovery both go through here.
/// </summary>
public sealed class CheckpointRestorer(Engine engine, WorkloadHost host, ModuleCache modules, CachingChunkStore cache, WorkloadOptions runtimeOptions, ILogger<CheckpointRestorer> logger)
{
    /// <summary>Reads a manifest as sent by the control plane; throws <see cref="CheckpointRejectedException"/> naming what is wrong.</summary>
    public static CheckpointManifest Parse(string manifestJson) => CheckpointManifestSerializer.Parse(Encoding.UTF8.GetBytes(manifestJson));

    /// <param name="staged">Chunks already in memory (a migration's prefetch); fetched ones are added to it.</param>
    /// <param name="verified">Pages verified before (a migration's prefetch), which the restore does not check again.</param>
    /// <param name="stagedInstance">An instance staged from the migration's pre-copy, taken over when it fits; the caller disposes it.</param>
    public async Task RestoreAsync(StartWorkloadCommand start, CheckpointManifest manifest, ConcurrentDictionary<string, byte[]> staged, VerifiedPages? verified, StagedRestore? stagedInstance, RestoreSteps steps)
    {
        var module = modules.GetAsync(start.ModuleHash, CancellationToken.None);
        await steps.Fetching();
        List<(string Hash, byte[] Bytes)> fetched;
        try
        {
            // Only what the node does not hold yet, in a few batched requests, into memory; the disk copy waits until the workload runs.
            fetched = await cache.FetchMissingAsync(manifest.ChunkHashes(), staged, readLocal: false, CancellationToken.None);
        }
        catch
        {
            steps.Released();
            throw;
        }
        await steps.Fetched(fetched.Sum(c => (long)c.Bytes.Length));
        var bytes = await module;
        var launched = host.Restore(start, manifest, async (active, output) =>
        {
            try
            {
                // Arguments, environment and preopens come from the control plane's command, never from the manifest: a
                // manifest is the word of whichever agent took it. Each volume's host path is this node's own.
                var options = new RestoreOptions
                {
                    Workload = runtimeOptions, MemoryLimitBytes = start.MemoryLimitBytes, OutputLimitBytes = start.OutputLimitBytes,
                    CpuTimeLimit = WorkloadHost.Seconds(start.CpuTimeLimitSeconds), WallClockLimit = WorkloadHost.Seconds(start.WallClockRemainingSeconds), VerifiedPages = verified, Staged = stagedInstance,
                    Args = start.Args, Env = start.Env, Preopens = VolumeMounts.CheckpointPreopens(start.Volumes, runtimeOptions), Volumes = runtimeOptions.Volumes,
                };
                if (stagedInstance?.Mismatch(manifest, options) is { } mismatch)
                {
                    logger.LogInformation("Workload {Workload}: not using the instance staged from the pre-copy ({Reason}); restoring from scratch", start.WorkloadId, mismatch);
                }
                var instance = await WorkloadInstance.RestoreAsync(engine, manifest, new StagedChunkStore(staged, cache), bytes, output, options);
                steps.Loaded();
                // Called from the workload's thread once its state is back, before it continues.
                instance.Resumed = () =>
                {
                    steps.Resumed(active, runtimeOptions.Time.GetUtcNow());
                    _ = PersistAsync(fetched);
                    if (instance.LastRestoreTiming is { } timing)
                    {
                        logger.LogInformation("Workload {Workload} generation {Generation} runs again from checkpoint #{Sequence} after {Milliseconds:0.0} ms ({How})",
                            start.WorkloadId, start.Generation, manifest.Sequence, timing.Total.TotalMilliseconds, timing.Staged ? "staged from the pre-copy" : "instantiated now");
                    }
                };
                return instance;
            }
            catch (Exception ex)
            {
                steps.Failed(active, ex);
                throw new InvalidOperationException($"could not restore the checkpoint: {ex.Message}", ex);
            }
            finally
            {
                // The restore has decompressed what it needs (or failed): the staged copies are no longer needed.
                steps.Released();
            }
        });
        if (!launched)
        {
            steps.Released();
            logger.LogInformation("Not restoring workload {Workload} generation {Generation}: this node already holds that or a newer generation", start.WorkloadId, start.Generation);
        }
    }

    private async Task PersistAsync(List<(string Hash, byte[] Bytes)> chunks)
    {
        try
        {
            await Task.Yield();
            await cache.PersistAsync(chunks, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not keep {Count} fetched chunks in the local cache", chunks.Count);
        }
    }
}
