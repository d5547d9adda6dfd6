using System.Collections.Concurrent;
using System.Text;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;
using Wasmtime;

namespace ContinuumControl.Agent.Workloads;

/// <summary>This agent's part in migrations: as target it prepares, prefetches and restores; as source it checkpoints.</summary>
public sealed class MigrationParticipant(
    Engine engine,
    WorkloadHost host,
    LocalSchedulerAdapter scheduling,
    CheckpointRestorer restorer,
    ModuleCache modules,
    ControlPlaneChunkStore remote,
    CachingChunkStore cache,
    WorkloadOptions runtimeOptions,
    Outbox outbox,
    AgentOptions options,
    TimeProvider time,
    ParticipantTelemetry telemetry,
    ILogger<MigrationParticipant> logger)
{
    private static readonly TimeSpan StagingLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Chunks of migrations this agent is the target of, in memory until the restore has read them.</summary>
    private readonly ConcurrentDictionary<Guid, Staging> _staging = new();

    public void Prepare(PrepareMigrationCommand command) => Step(ParticipantTelemetry.Prepare, command.MigrationId, async () =>
    {
        await Fault(options.Faults.DelayPrepareMs);
        var bytes = await modules.GetAsync(command.ModuleHash, CancellationToken.None);
        // Compiling now puts the module in the precompiled cache, so the restore later only deserializes it.
        runtimeOptions.PrecompiledCache?.Load(engine, "prepare", command.ModuleHash, bytes).Dispose();
        Send(new MigrationReport(command.MigrationId, MigrationReportKind.Prepared, null, bytes.Length, time.GetUtcNow(), null));
    });

    public void Checkpoint(CheckpointWorkloadCommand command) => Step(command.Pause ? ParticipantTelemetry.Checkpoint : ParticipantTelemetry.PreCopy, command.MigrationId, async () =>
    {
        // The start of "request -> safe point": waiting for the instance and for a periodic checkpoint counts too.
        var requested = time.GetUtcNow();
        var active = host.Find(command.WorkloadId, command.Generation)
            ?? throw new InvalidOperationException($"the source does not run workload {command.WorkloadId} under generation {command.Generation}");
        // Refuses a queued or suspended workload; a running one is not preempted while the migration holds it.
        scheduling.PinForMigration(active);
        try
        {
            // Never at the same time as a periodic checkpoint (or a suspension) of the same workload.
            await active.RunExclusive(() => CheckpointAsync(command, active, requested));
        }
        finally
        {
            if (!active.Paused)
            {
                scheduling.Unpin(active);
            }
        }
    });

    private async Task CheckpointAsync(CheckpointWorkloadCommand command, ActiveWorkload active, DateTimeOffset requested)
    {
        if (command.Pause)
        {
            await Fault(options.Faults.DelayCheckpointMs);
        }
        var instance = await active.Instance;
        var asked = time.GetUtcNow();
        var manifest = await instance.RequestCheckpoint(command.Pause ? CheckpointMode.Pause : CheckpointMode.Continue, remote);
        var hashed = time.GetUtcNow();
        if (command.Pause)
        {
            // Set before the flush: if the upload fails, the abort's ResumeWorkload must find the copy paused.
            active.Paused = true;
        }
        // Chunks go out in batches; the manifest names them only once all are stored by the control plane. The final
        // checkpoint's last batch, when small, travels with the report instead: the server stores it and hands it on
        // to the target with the restore command, so the pause pays neither an upload nor a fetch for it.
        byte[]? inline = null;
        if (command.Pause)
        {
            var named = manifest.ChunkHashes().ToHashSet(StringComparer.Ordinal);
            inline = await remote.CopyQueuedAsync(named, ChunkBatch.InlineMaxBytes) is { } queued ? ChunkBatch.Write(queued) : null;
        }
        else
        {
            await remote.FlushAsync();
        }
        var timing = instance.LastCheckpointTiming;
        var pausedAt = asked + (timing?.ToSafePoint ?? TimeSpan.Zero);
        var written = time.GetUtcNow();
        // Everything written before the pause goes out before the report, so the target's output continues it without a gap.
        active.Output?.Flush();
        var kind = command.Pause ? MigrationReportKind.Checkpointed : MigrationReportKind.PreCopied;
        var steps = command.Pause
            ? new Dictionary<string, DateTimeOffset>
            {
                [MigrationStepNames.SourceRequested] = requested,
                [MigrationStepNames.SourcePaused] = pausedAt,
                [MigrationStepNames.SourceCaptured] = pausedAt + (timing?.Capture ?? TimeSpan.Zero),
                [MigrationStepNames.SourceHashed] = hashed,
                [MigrationStepNames.SourceWritten] = written,
                [MigrationStepNames.SourceReported] = time.GetUtcNow(),
            }
            : null;
        Send(new MigrationReport(command.MigrationId, kind, Json(manifest), timing?.BytesWritten ?? 0, pausedAt, null, inline, steps));
        telemetry.Moved(command.Pause ? ParticipantTelemetry.Checkpoint : ParticipantTelemetry.PreCopy, timing?.BytesWritten ?? 0);
    }

    public void Prefetch(PrefetchChunksCommand command) => Step(ParticipantTelemetry.Prefetch, command.MigrationId, async () =>
    {
        var manifest = CheckpointManifestSerializer.Parse(Encoding.UTF8.GetBytes(command.ManifestJson));
        // Fetched and locally cached chunks are kept in memory for the restore; the disk copy is written now, while the workload still runs at the source.
        var stage = Stage(command.MigrationId);
        var fetched = await cache.FetchMissingAsync(manifest.ChunkHashes(), stage.Chunks, readLocal: true, CancellationToken.None);
        await cache.PersistAsync(fetched, CancellationToken.None);
        // Verify now, while the source still runs: the restore in the pause then checks only what changed. Staging
        // verifies the pages as it loads them; only if it fails are they verified on their own, for the restore to use.
        if (!await StageInstanceAsync(command, manifest, stage))
        {
            await stage.Verified.AddAsync(manifest.ChunkHashes(), new StagedChunkStore(stage.Chunks, cache), CancellationToken.None);
        }
        var bytes = fetched.Sum(c => (long)c.Bytes.Length);
        Send(new MigrationReport(command.MigrationId, MigrationReportKind.Prefetched, null, bytes, time.GetUtcNow(), null));
        telemetry.Moved(ParticipantTelemetry.Prefetch, bytes);
    });

    /// <summary>
    /// The first stage of a two-stage restore: instantiates the module with the pre-copy's memory in place, so the
    /// pause only writes what changed since. Optional: if it cannot be staged, the restore starts from scratch.
    /// </summary>
    private async Task<bool> StageInstanceAsync(PrefetchChunksCommand command, CheckpointManifest manifest, Staging stage)
    {
        try
        {
            var bytes = await modules.GetAsync(manifest.ModuleHash, CancellationToken.None);
            var staged = await StagedRestore.PrepareAsync(engine, manifest, new StagedChunkStore(stage.Chunks, cache), bytes,
                new RestoreOptions { Workload = runtimeOptions, MemoryLimitBytes = command.MemoryLimitBytes, Volumes = runtimeOptions.Volumes });
            stage.Stage(staged);
            return true;
        }
        catch (CheckpointRejectedException)
        {
            // A corrupt or missing chunk: the prefetch fails with the reason, as it did before staging existed.
            throw;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Migration {Migration}: could not stage the workload's instance ahead of the pause; the restore will instantiate it then", command.MigrationId);
            return false;
        }
    }

    public void Restore(RestoreWorkloadCommand command) => Step(ParticipantTelemetry.Restore, command.MigrationId, async () =>
    {
        var steps = new Dictionary<string, DateTimeOffset> { [MigrationStepNames.TargetRestoreCommand] = time.GetUtcNow() };
        var manifest = CheckpointRestorer.Parse(command.ManifestJson);
        var stage = Stage(command.MigrationId);
        if (command.InlineChunks is { } inline)
        {
            // The final delta came with the command; the restore verifies each chunk against its name as it loads it.
            List<(string Hash, byte[] Bytes)> chunks;
            try
            {
                chunks = ChunkBatch.Read(inline);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"the restore command's inline chunks are not a chunk batch ({ex.Message})");
            }
            foreach (var (hash, bytes) in chunks)
            {
                stage.Chunks[hash] = bytes;
            }
        }
        await restorer.RestoreAsync(command.Start, manifest, stage.Chunks, stage.Verified, stage.Instance, new RestoreSteps
        {
            Fetching = () => Fault(options.Faults.DelayFetchMs),
            Fetched = bytes =>
            {
                // The server only records this (Transferring -> Restoring); the restore goes on without waiting for it.
                var fetchedAt = time.GetUtcNow();
                Send(new MigrationReport(command.MigrationId, MigrationReportKind.Fetched, null, bytes, fetchedAt, null));
                steps[MigrationStepNames.TargetFetched] = fetchedAt;
                telemetry.Moved(ParticipantTelemetry.Restore, bytes);
                return Fault(options.Faults.DelayRestoreMs);
            },
            Loaded = () => steps[MigrationStepNames.TargetLoaded] = time.GetUtcNow(),
            // The end of the downtime. Its output is queued after this report, and the server commits the move before it reads that output.
            Resumed = (_, resumed) =>
            {
                steps[MigrationStepNames.TargetResumed] = resumed;
                Send(new MigrationReport(command.MigrationId, MigrationReportKind.Restored, null, 0, resumed, null, Steps: steps));
            },
            Failed = (active, ex) =>
            {
                active.Discard();
                Send(new MigrationReport(command.MigrationId, MigrationReportKind.Failed, null, 0, time.GetUtcNow(), $"the target could not restore the checkpoint: {ex.Message}"));
            },
            Released = () =>
            {
                if (_staging.TryRemove(command.MigrationId, out var done))
                {
                    done.Dispose();
                }
            },
        });
    });

    /// <summary>The in-memory chunk set of a migration this agent is the target of; forgets sets of migrations that never restored.</summary>
    private Staging Stage(Guid migrationId)
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in _staging)
        {
            if (now - entry.Created > StagingLifetime && _staging.TryRemove(id, out var expired))
            {
                expired.Dispose();
            }
        }
        return _staging.GetOrAdd(migrationId, _ => new Staging(now));
    }

    private static Task Fault(int delayMs) => delayMs > 0 ? Task.Delay(delayMs) : Task.CompletedTask;

    /// <summary>Runs one of this agent's parts of a migration off the hub's thread, as a span with its duration recorded.</summary>
    private void Step(string name, Guid migrationId, Func<Task> step) => _ = Task.Run(async () =>
    {
        var started = time.GetTimestamp();
        using var activity = telemetry.Start(name, migrationId);
        try
        {
            await step();
            telemetry.Ended(activity, name, time.GetElapsedTime(started), failure: null);
        }
        catch (Exception ex)
        {
            telemetry.Ended(activity, name, time.GetElapsedTime(started), ex.Message);
            logger.LogWarning(ex, "Migration {Migration} step failed", migrationId);
            Send(new MigrationReport(migrationId, MigrationReportKind.Failed, null, 0, time.GetUtcNow(), ex.Message));
        }
    });

    private void Send(MigrationReport report) => outbox.Enqueue(report, (hub, r) => hub.InvokeAsync(nameof(IAgentHub.ReportMigration), r), droppable: false, kind: "migration report");

    private static string Json(CheckpointManifest manifest) => Encoding.UTF8.GetString(CheckpointManifestSerializer.ToBytes(manifest));
}

/// <summary>
/// A migration target's chunks in memory (compressed, as fetched), the pages already verified from them, and the
/// instance staged from the pre-copy. The staged instance is released with the staging (restored, failed, expired).
/// </summary>
internal sealed class Staging(DateTimeOffset created) : IDisposable
{
    private StagedRestore? staged;

    public DateTimeOffset Created { get; } = created;

    public ConcurrentDictionary<string, byte[]> Chunks { get; } = new(StringComparer.Ordinal);

    /// <summary>Pages verified at prefetch when no instance could be staged.</summary>
    public VerifiedPages Verified { get; } = new();

    public StagedRestore? Instance => Volatile.Read(ref staged);

    /// <summary>Keeps the staged instance (its memory holds the pre-copy's pages, verified).</summary>
    public void Stage(StagedRestore instance) => Interlocked.Exchange(ref staged, instance)?.Dispose();

    public void Dispose() => Interlocked.Exchange(ref staged, null)?.Dispose();
}
