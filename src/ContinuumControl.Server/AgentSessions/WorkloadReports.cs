using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Checkpoints;
using ContinuumControl.Server.Orchestration;
using ContinuumControl.Server.Workloads;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>
/// What a node reports about a workload it runs (its state, its output, a periodic checkpoint, a request to move it
/// off) counts only from the current copy (<see cref="CurrentCopies"/>); each method returns false for a stale copy,
/// which the caller tells to discard itself.
/// </summary>
public sealed class WorkloadReports(
    CurrentCopies copies,
    WorkloadLifecycle workloads,
    OutputLog log,
    OffloadRequests offloads,
    WriteBehindChunkStore chunks,
    ILogger<WorkloadReports> logger)
{
    public async Task<bool> StateAsync(Guid nodeId, WorkloadStatusReport report, WorkloadState state, CancellationToken cancellationToken)
    {
        if (!await copies.IsCurrentAsync(nodeId, report.WorkloadId, report.Generation, cancellationToken))
        {
            return false;
        }
        await workloads.ApplyReportAsync(nodeId, report.WorkloadId, report.Generation, state, report.ExitCode, report.Reason, cancellationToken);
        return true;
    }

    public async Task<bool> OutputAsync(Guid nodeId, OutputAppend output, OutputStream stream, CancellationToken cancellationToken)
    {
        if (!await copies.IsCurrentAsync(nodeId, output.WorkloadId, output.Generation, cancellationToken))
        {
            return false;
        }
        await log.AppendAsync(output.WorkloadId, stream, output.Offset, output.Data, cancellationToken);
        return true;
    }

    public async Task<bool> OffloadAsync(Guid nodeId, OffloadRequest request, CancellationToken cancellationToken)
    {
        if (!await copies.IsCurrentAsync(nodeId, request.WorkloadId, request.Generation, cancellationToken))
        {
            return false;
        }
        offloads.Add(nodeId, request);
        return true;
    }

    /// <returns>The answer for the agent, and false when the copy is stale.</returns>
    public async Task<(CheckpointAck Ack, bool Current)> CheckpointAsync(Guid nodeId, CheckpointReport report, CheckpointManifest manifest, CancellationToken cancellationToken)
    {
        if (!await copies.IsCurrentAsync(nodeId, report.WorkloadId, report.Generation, cancellationToken))
        {
            return (new CheckpointAck(false, Reason: "not the current copy of the workload"), false);
        }
        // A lost node's workload resumes from this checkpoint, so it is recorded only once all of it is on disk.
        if (await chunks.EnsureStoredAsync(manifest.ChunkHashes(), cancellationToken) is { } problem)
        {
            logger.LogWarning("Checkpoint of workload {Workload} from node {Node} not recorded: {Problem}", report.WorkloadId, nodeId, problem);
            return (new CheckpointAck(false, ChunksMissing: true, Reason: $"{problem}; upload every chunk again with the next checkpoint"), true);
        }
        await workloads.RecordCheckpointAsync(nodeId, report, cancellationToken);
        return (new CheckpointAck(true), true);
    }
}
