using System.Text;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;
using Wasmtime;

namespace ContinuumControl.Agent.Workloads;

/// <summary>This agent's part in migrations: as target it prepares, prefetches and restores; as source it checkpoints.</summary>
public sealed class MigrationParticipant(
    Engine engine,
    WorkloadHost host,
    ModuleCache modules,
    ControlPlaneChunkStore remote,
    CachingChunkStore cache,
    WorkloadOptions runtimeOptions,
    Outbox outbox,
    AgentOptions options,
    ILogger<MigrationParticipant> logger)
{
    public void Prepare(PrepareMigrationCommand command) => Step(command.MigrationId, async () =>
    {
        await Fault(options.Faults.DelayPrepareMs);
        var bytes = await modules.GetAsync(command.ModuleHash, CancellationToken.None);
        // Compiling now puts the module in the precompiled cache, so the restore later only deserializes it.
        runtimeOptions.PrecompiledCache?.Load(engine, "prepare", command.ModuleHash, bytes).Dispose();
        Send(new MigrationReport(command.MigrationId, MigrationReportKinds.Prepared, null, bytes.Length, DateTimeOffset.UtcNow, null));
    });

    public void Checkpoint(CheckpointWorkloadCommand command) => Step(command.MigrationId, async () =>
    {
        var active = host.Find(command.WorkloadId, command.Generation)
            ?? throw new InvalidOperationException($"the source does not run workload {command.WorkloadId} under generation {command.Generation}");
        var instance = await active.Instance;
        var requested = DateTimeOffset.UtcNow;
        var manifest = await instance.RequestCheckpoint(command.Pause ? CheckpointMode.Pause : CheckpointMode.Continue, remote);
        if (command.Pause)
        {
            active.Paused = true;
        }
        var timing = instance.LastCheckpointTiming;
        var pausedAt = requested + (timing?.ToSafePoint ?? TimeSpan.Zero);
        // Everything written before the pause goes out before the report, so the target's output continues it without a gap.
        active.Output?.Flush();
        var kind = command.Pause ? MigrationReportKinds.Checkpointed : MigrationReportKinds.PreCopied;
        Send(new MigrationReport(command.MigrationId, kind, Json(manifest), timing?.BytesWritten ?? 0, pausedAt, null));
    });

    public void Prefetch(PrefetchChunksCommand command) => Step(command.MigrationId, async () =>
    {
        var manifest = CheckpointManifestSerializer.Parse(Encoding.UTF8.GetBytes(command.ManifestJson));
        var fetched = await cache.FetchMissingAsync(manifest.ChunkHashes(), CancellationToken.None);
        Send(new MigrationReport(command.MigrationId, MigrationReportKinds.Prefetched, null, fetched, DateTimeOffset.UtcNow, null));
    });

    public void Restore(RestoreWorkloadCommand command) => Step(command.MigrationId, async () =>
    {
        var manifest = CheckpointManifestSerializer.Parse(Encoding.UTF8.GetBytes(command.ManifestJson));
        await Fault(options.Faults.DelayFetchMs);
        var fetched = await cache.FetchMissingAsync(manifest.ChunkHashes(), CancellationToken.None);
        Send(new MigrationReport(command.MigrationId, MigrationReportKinds.Fetched, null, fetched, DateTimeOffset.UtcNow, null));
        await Fault(options.Faults.DelayRestoreMs);
        var bytes = await modules.GetAsync(command.Start.ModuleHash, CancellationToken.None);
        host.Restore(command.Start, manifest, async (active, output) =>
        {
            try
            {
                var instance = await WorkloadInstance.RestoreAsync(engine, manifest, cache, bytes, output,
                    new RestoreOptions { Workload = runtimeOptions, MemoryLimitBytes = command.Start.MemoryLimitBytes });
                // Reported from the workload's thread once its state is back, before it continues: the end of the downtime.
                // Its output is queued after this report, and the server commits the move before it reads that output.
                instance.Resumed = () => Send(new MigrationReport(command.MigrationId, MigrationReportKinds.Restored, null, 0, DateTimeOffset.UtcNow, null));
                return instance;
            }
            catch (Exception ex)
            {
                active.Discard();
                Send(new MigrationReport(command.MigrationId, MigrationReportKinds.Failed, null, 0, DateTimeOffset.UtcNow, $"the target could not restore the checkpoint: {ex.Message}"));
                throw;
            }
        });
    });

    private static Task Fault(int delayMs) => delayMs > 0 ? Task.Delay(delayMs) : Task.CompletedTask;

    private void Step(Guid migrationId, Func<Task> step) => _ = Task.Run(async () =>
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Migration {Migration} step failed", migrationId);
            Send(new MigrationReport(migrationId, MigrationReportKinds.Failed, null, 0, DateTimeOffset.UtcNow, ex.Message));
        }
    });

    private void Send(MigrationReport report) => outbox.Enqueue(hub => hub.InvokeAsync(nameof(IAgentHub.ReportMigration), report));

    private static string Json(CheckpointManifest manifest) => Encoding.UTF8.GetString(CheckpointManifestSerializer.ToBytes(manifest));
}
