using System.Text.Json.Serialization;

namespace ContinuumControl.Contracts.Agents;

/// <summary>Target: fetch and compile the module ahead of the move.</summary>
public sealed record PrepareMigrationCommand(Guid MigrationId, Guid WorkloadId, string ModuleHash);

/// <summary>
/// Source: capture the workload's state into the control plane's chunk store. <paramref name="Pause"/> false is a
/// pre-copy (the workload keeps running); true is the final stop-and-copy (it stays paused until resumed or discarded).
/// </summary>
public sealed record CheckpointWorkloadCommand(Guid MigrationId, Guid WorkloadId, long Generation, bool Pause);

/// <summary>
/// Target: fetch the chunks of a (pre-copy) manifest it lacks into its local cache, and stage an instance holding that
/// memory, so the restore in the pause writes only what changed. <paramref name="MemoryLimitBytes"/> is the limit the
/// restore will run under (the staged instance is made with it); null takes the manifest's.
/// </summary>
public sealed record PrefetchChunksCommand(Guid MigrationId, string ManifestJson, long? MemoryLimitBytes = null);

/// <summary>Target: restore the checkpoint and run the workload under <see cref="StartWorkloadCommand.Generation"/>.</summary>
/// <param name="InlineChunks">
/// The final checkpoint's new chunks as the source sent them with its report (a <see cref="Checkpoints.ChunkBatch"/>),
/// or null: the target takes these from the command and fetches only the rest.
/// </param>
public sealed record RestoreWorkloadCommand(Guid MigrationId, StartWorkloadCommand Start, string ManifestJson, byte[]? InlineChunks = null);

/// <summary>Source: continue a paused workload (the migration was aborted), or discard it (it runs elsewhere now).</summary>
public sealed record WorkloadRef(Guid WorkloadId, long Generation);

/// <summary>What an agent tells the server about its part in a migration.</summary>
/// <param name="Kind">Prepared, PreCopied, Prefetched, Checkpointed, Fetched, Restored or Failed.</param>
/// <param name="ManifestJson">With PreCopied and Checkpointed: the checkpoint manifest.</param>
/// <param name="Bytes">Bytes uploaded (source) or fetched (target) for this step.</param>
/// <param name="At">When it happened on the agent (UTC): for Checkpointed the moment the workload paused, for Restored the moment it ran again.</param>
/// <param name="Reason">With Failed: why, in words a user can act on.</param>
/// <param name="InlineChunks">
/// With Checkpointed: the chunks of the final checkpoint not uploaded yet, as a <see cref="Checkpoints.ChunkBatch"/>
/// (at most <see cref="Checkpoints.ChunkBatch.InlineMaxBytes"/>). A small delta travels with the report and on with
/// the restore command instead of an upload and a fetch, two round trips fewer while the workload is paused.
/// </param>
/// <param name="Steps">
/// With Checkpointed and Restored: when each of the agent's steps of the pause ended on its clock (UTC), by
/// <see cref="MigrationStepNames"/>. The control plane turns them into the downtime breakdown it measures.
/// </param>
public sealed record MigrationReport(Guid MigrationId, [property: JsonConverter(typeof(JsonStringEnumConverter<MigrationReportKind>))] MigrationReportKind Kind, string? ManifestJson, long Bytes, DateTimeOffset At, string? Reason, byte[]? InlineChunks = null,
    IReadOnlyDictionary<string, DateTimeOffset>? Steps = null);

/// <summary>What a <see cref="MigrationReport"/> says happened.</summary>
public enum MigrationReportKind
{
    /// <summary>Target: the module is fetched and compiled.</summary>
    Prepared,

    /// <summary>Source: a pre-copy checkpoint is uploaded while the workload keeps running.</summary>
    PreCopied,

    /// <summary>Target: the pre-copy's chunks are fetched and an instance is staged with that memory.</summary>
    Prefetched,

    /// <summary>Source: the workload is paused and its final checkpoint taken.</summary>
    Checkpointed,

    /// <summary>Target: every chunk the restore needs is at hand.</summary>
    Fetched,

    /// <summary>Target: the workload runs again from the checkpoint.</summary>
    Restored,

    /// <summary>Either side: its part failed (the reason says why).</summary>
    Failed,
}
