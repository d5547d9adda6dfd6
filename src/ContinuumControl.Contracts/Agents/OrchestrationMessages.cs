namespace ContinuumControl.Contracts.Agents;

/// <summary>A periodic checkpoint an agent took and stored in the control plane's chunk store (all chunks uploaded).</summary>
public sealed record CheckpointReport(Guid WorkloadId, long Generation, string ManifestJson, DateTimeOffset At, long BytesWritten);

/// <summary>
/// The control plane's answer to a <see cref="CheckpointReport"/>. Not recorded with <paramref name="ChunksMissing"/>:
/// it lacks chunks the manifest names (lost in a crash before they reached its disk), and the agent must upload all of
/// its chunks again instead of trusting what it uploaded before.
/// </summary>
public sealed record CheckpointAck(bool Recorded, bool ChunksMissing = false, string? Reason = null);

/// <summary>A local scheduler asks the control plane to move a workload it cannot serve in time.</summary>
/// <param name="Reason">Why, in words for the operator (for example "queued 12 s behind 2 High workloads").</param>
public sealed record OffloadRequest(Guid WorkloadId, long Generation, string Reason);

/// <summary>Resume a workload from its last periodic checkpoint on this node (its former node was lost).</summary>
public sealed record RecoverWorkloadCommand(StartWorkloadCommand Start, string ManifestJson);
