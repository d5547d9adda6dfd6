using System.Collections.Concurrent;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using Microsoft.AspNetCore.SignalR.Client;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Resumes a workload whose node was lost from its last periodic checkpoint: the migration target's restore path,
/// without a migration. Reports Running once the restored workload continues, or Failed with the reason.
/// </summary>
public sealed class WorkloadRecovery(CheckpointRestorer restorer, Outbox outbox, ILogger<WorkloadRecovery> logger)
{
    public void Recover(RecoverWorkloadCommand command) => _ = RecoverAsync(command);

    /// <summary>Completes once the restored workload was handed its thread (or the recovery failed and was reported).</summary>
    public async Task RecoverAsync(RecoverWorkloadCommand command)
    {
        var start = command.Start;
        try
        {
            await Task.Yield();
            CheckpointManifest manifest;
            try
            {
                manifest = CheckpointRestorer.Parse(command.ManifestJson);
            }
            catch (CheckpointRejectedException ex)
            {
                throw new InvalidOperationException($"its checkpoint manifest is unusable: {ex.Reason}", ex);
            }
            logger.LogInformation("Recovering workload {Workload} (generation {Generation}) from checkpoint {Sequence} of {Created:u}",
                start.WorkloadId, start.Generation, manifest.Sequence, manifest.CreatedAt);
            await restorer.RestoreAsync(start, manifest, new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal), null, null, new RestoreSteps
            {
                Resumed = (active, _) => outbox.ReportStatus(active, WorkloadState.Running),
            });
        }
        catch (Exception ex)
        {
            // Failures on the workload's thread (a checkpoint that does not verify) end its run as Failed through the host instead.
            logger.LogWarning(ex, "Could not recover workload {Workload}", start.WorkloadId);
            var report = new WorkloadStatusReport(start.WorkloadId, start.Generation, WorkloadState.Failed, null, $"recovery on this node failed: {ex.Message}");
            outbox.Enqueue(report, (hub, r) => hub.InvokeAsync(nameof(IAgentHub.ReportStatus), r), droppable: false, kind: "status report");
        }
    }
}
