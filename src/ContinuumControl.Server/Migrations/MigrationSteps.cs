using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Persistence;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Checkpoints;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Migrations;

/// <summary>What a migration run does to the database, the agents and the live views at each step.</summary>
public sealed class MigrationSteps(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    AgentCommands agents,
    ClusterEvents events,
    WriteBehindChunkStore chunks,
    Recovery.RunRecovery recovery,
    NodeFetchGrants grants,
    TimeProvider time,
    MigrationTelemetry telemetry,
    ILogger<MigrationSteps> logger)
{
    public AgentCommands Agents => agents;

    public MigrationTelemetry Telemetry => telemetry;

    public TimeProvider Time => time;

    /// <summary>What the target may fetch while the migration runs.</summary>
    public NodeFetchGrants Grants => grants;

    /// <summary>The chunks a Checkpointed report carries inline (none: empty); malformed ones abort the migration with the reason.</summary>
    public static List<(string Hash, byte[] Bytes)> ReadInlineChunks(MigrationReport report)
    {
        if (report.InlineChunks is not { } inline)
        {
            return [];
        }
        if (inline.Length > ChunkBatch.InlineMaxBytes + ChunkBatch.MaxChunks * (ChunkBatch.HashLength + 4))
        {
            throw new MigrationAbortedException($"the source sent {inline.Length} bytes of chunks with its report; at most {ChunkBatch.InlineMaxBytes} travel inline");
        }
        try
        {
            return ChunkBatch.Read(inline);
        }
        catch (FormatException ex)
        {
            throw new MigrationAbortedException($"the source's report carried chunks that are not a chunk batch ({ex.Message})");
        }
    }

    /// <summary>Stores the chunks a source sent with its report, checked like an upload; a bad one aborts the migration.</summary>
    public async Task StoreInlineChunksAsync(List<(string Hash, byte[] Bytes)> inline)
    {
        foreach (var (hash, bytes) in inline)
        {
            try
            {
                ChunkIntegrity.Check(hash, bytes);
            }
            catch (CheckpointRejectedException ex)
            {
                throw new MigrationAbortedException($"the source's report carried a damaged chunk: {ex.Reason}");
            }
        }
        foreach (var (hash, bytes) in inline)
        {
            await chunks.PutAsync(hash, bytes);
        }
    }

    /// <summary>
    /// Waits until every chunk of the final checkpoint is on disk: after the commit the source discards its paused
    /// copy, and the workload's state must not then live only in the control plane's memory.
    /// </summary>
    public async Task EnsureChunksStoredAsync(string manifestJson)
    {
        var manifest = CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(manifestJson));
        if (await chunks.EnsureStoredAsync(manifest.ChunkHashes(), CancellationToken.None) is { } problem)
        {
            throw new MigrationAbortedException($"the final checkpoint is incomplete: {problem}");
        }
    }

    public DateTimeOffset Now => time.GetUtcNow();

    public Task EnterAsync(Migration migration, MigrationPhase phase) =>
        SaveAsync(migration, m => m.Enter(phase, time.GetUtcNow()));

    /// <summary>Records that <paramref name="phase"/> began at <paramref name="at"/> (taken when it began, the write may come later), adding bytes moved.</summary>
    public Task EnterAsync(Migration migration, MigrationPhase phase, DateTimeOffset at, long addBytes) =>
        SaveAsync(migration, m =>
        {
            m.BytesMoved += addBytes;
            return m.Enter(phase, at) || addBytes != 0;
        });

    public Task AddBytesAsync(Migration migration, long bytes) =>
        SaveAsync(migration, m =>
        {
            m.BytesMoved += bytes;
            return true;
        });

    public void PersistFailed(Migration migration, Exception ex) =>
        logger.LogWarning(ex, "Migration {Migration}: recording phase {Phase} failed; the final state is written at the commit or abort", migration.Id, migration.Phase);

    /// <summary>
    /// The target runs: bind the workload to it under the next generation and complete the migration, in one transaction.
    /// Only then is the source told to discard its paused copy.
    /// </summary>
    public async Task CommitAsync(Migration migration, TimeSpan downtime, MigrationTimeline timeline)
    {
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == migration.WorkloadId)
                ?? throw new MigrationAbortedException("the workload was deleted during the migration");
            if (workload.IsFinished || workload.NodeId != migration.SourceNodeId || workload.Generation != migration.SourceGeneration)
            {
                throw new MigrationAbortedException($"the workload changed during the migration (now {workload.State}, generation {workload.Generation})");
            }
            var row = await db.Migrations.FirstAsync(m => m.Id == migration.Id);
            workload.NodeId = migration.TargetNodeId;
            workload.Generation = migration.TargetGeneration;
            row.DowntimeMs = Math.Max(0, downtime.TotalMilliseconds);
            row.Finish(MigrationPhase.Completed, null, time.GetUtcNow());
            await db.SaveChangesAsync();
            Copy(row, migration);
            // Before anyone hears of the commit: who sees Completed finds the migration in the metrics.
            telemetry.Finished(migration, timeline);
            events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: await db.WorkloadDtoAsync(workload, CancellationToken.None)));
            await events.PublishNodesAsync(db, [migration.SourceNodeId, migration.TargetNodeId], CancellationToken.None);
            await PublishAsync(db, migration);
        }
        logger.LogInformation("Migration {Migration} of {Workload} completed; downtime {Downtime:F1} ms", migration.Id, migration.WorkloadId, downtime.TotalMilliseconds);
        await agents.TryToNode(migration.SourceNodeId, c => c.DiscardWorkload(new WorkloadRef(migration.WorkloadId, migration.SourceGeneration)));
    }

    /// <summary>
    /// Gives up before the commit; the target drops what it restored. The outcome says what really became of the
    /// workload: Superseded when it finished before it could move, Aborted when the source resumed it, Failed when the
    /// source was lost (it is then recovered from its last checkpoint, or from the beginning, like a lost node's work).
    /// </summary>
    /// <param name="sourceLost">The source's agent disconnected during the migration (killed, crashed, restarted).</param>
    /// <param name="bySource">The source's own report ended it: a source that no longer runs the workload may have just finished it.</param>
    public async Task AbortAsync(Migration migration, string reason, bool sourceLost, bool bySource, MigrationTimeline timeline)
    {
        logger.LogWarning("Migration {Migration} of {Workload} given up during {Phase}: {Reason}", migration.Id, migration.WorkloadId, migration.Phase, reason);
        await agents.TryToNode(migration.TargetNodeId, c => c.DiscardWorkload(new WorkloadRef(migration.WorkloadId, migration.TargetGeneration)));
        var (outcome, full) = await OutcomeAsync(migration, reason, sourceLost, bySource);
        await SaveAsync(migration, m => m.Finish(outcome, full, time.GetUtcNow()));
        telemetry.Finished(migration, timeline);
    }

    /// <summary>How long a source's "I do not run it" may precede its report that the workload ended.</summary>
    private static readonly TimeSpan FinishReportGrace = TimeSpan.FromSeconds(3);

    private async Task<(MigrationPhase Outcome, string Reason)> OutcomeAsync(Migration migration, string reason, bool sourceLost, bool bySource)
    {
        var deadline = time.GetUtcNow() + (bySource && !sourceLost ? FinishReportGrace : TimeSpan.Zero);
        while (true)
        {
            if (await FinishedAsync(migration) is { } finished)
            {
                return (MigrationPhase.Superseded, Superseded(finished));
            }
            if (time.GetUtcNow() >= deadline)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
        if (!sourceLost)
        {
            try
            {
                await agents.ToNode(migration.SourceNodeId, c => c.ResumeWorkload(new WorkloadRef(migration.WorkloadId, migration.SourceGeneration)));
                return (MigrationPhase.Aborted, $"{reason}; the source resumed the workload");
            }
            catch (AgentUnreachableException)
            {
                // Not connected now: treated as lost below.
            }
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var source = await db.Nodes.AsNoTracking().Where(n => n.Id == migration.SourceNodeId).Select(n => n.Name).FirstOrDefaultAsync() ?? "?";
            var what = await recovery.LoseRunAsync(migration.WorkloadId, migration.SourceNodeId, migration.SourceGeneration,
                $"its source node {source} was lost during a migration ({migration.Phase})");
            if (what is null && await FinishedAsync(migration) is { } finished)
            {
                return (MigrationPhase.Superseded, Superseded(finished));
            }
            return (MigrationPhase.Failed, $"{reason}; the source node {source} was lost with the workload, so {what ?? "the workload was already placed again"}");
        }
    }

    private static string Superseded(string state) => $"the workload finished before it could move ({state}); nothing was moved";

    /// <summary>The workload's final state when it finished (or was deleted) since the migration began; null while it is unfinished.</summary>
    private async Task<string?> FinishedAsync(Migration migration)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == migration.WorkloadId);
        return workload is null ? "deleted" : workload.IsFinished ? workload.State.ToString() : null;
    }

    private async Task SaveAsync(Migration migration, Func<Migration, bool> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.Migrations.FirstAsync(m => m.Id == migration.Id);
        if (!change(row))
        {
            return;
        }
        await db.SaveChangesAsync();
        Copy(row, migration);
        await PublishAsync(db, migration);
    }

    private async Task PublishAsync(ControlPlaneDbContext db, Migration migration)
    {
        if (events.HasSubscribers && await db.MigrationDtoAsync(migration.Id, CancellationToken.None) is { } dto)
        {
            events.Publish(new ClusterChange(ClusterChangeKind.MigrationUpserted, Migration: dto));
        }
    }

    private static void Copy(Migration from, Migration to)
    {
        // Phase changes are written in the background, in order; the run's in-memory copy may already be ahead.
        if (from.Phase < to.Phase && !from.IsFinished)
        {
            to.BytesMoved = from.BytesMoved;
            return;
        }
        to.Phase = from.Phase;
        to.Reason = from.Reason;
        to.PreparingAt = from.PreparingAt;
        to.CheckpointingAt = from.CheckpointingAt;
        to.TransferringAt = from.TransferringAt;
        to.RestoringAt = from.RestoringAt;
        to.FinishedAt = from.FinishedAt;
        to.DowntimeMs = from.DowntimeMs;
        to.BytesMoved = from.BytesMoved;
    }
}
