using System.Text;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Checkpoints running workloads into the control plane's chunk store every <see cref="StartWorkloadCommand.CheckpointIntervalMs"/>
/// while they keep running, so a lost node costs at most one interval of progress. Skips a tick while the workload is
/// queued, suspended, migrating or still busy with the previous checkpoint.
/// </summary>
public sealed class PeriodicCheckpoints(ControlPlaneChunkStore remote, Outbox outbox, TimeProvider time, ILogger<PeriodicCheckpoints> logger)
{
    /// <summary>Starts the timer of a workload that just began running (no-op when its interval is 0).</summary>
    public void Track(ActiveWorkload active)
    {
        if (active.Command.CheckpointIntervalMs <= 0)
        {
            return;
        }
        var interval = TimeSpan.FromMilliseconds(active.Command.CheckpointIntervalMs);
        var busy = 0;
        active.CheckpointTimer = time.CreateTimer(_ =>
        {
            if (!Due(active) || Interlocked.Exchange(ref busy, 1) == 1)
            {
                return;
            }
            _ = active.RunExclusive(() => CheckpointAsync(active)).ContinueWith(_ => Volatile.Write(ref busy, 0), TaskScheduler.Default);
        }, null, interval, interval);
    }

    /// <summary>Takes one checkpoint now if the workload runs; returns the report sent, or null when skipped or failed.</summary>
    public async Task<CheckpointReport?> CheckpointAsync(ActiveWorkload active)
    {
        if (!Due(active))
        {
            return null;
        }
        try
        {
            var instance = await active.Instance;
            if (instance.State != WorkloadInstanceState.Running)
            {
                return null;
            }
            var requested = time.GetUtcNow();
            var manifest = await instance.RequestCheckpoint(CheckpointMode.Continue, remote);
            // The report may only name chunks the control plane stores already.
            await remote.FlushAsync();
            active.Output?.Flush();
            var timing = instance.LastCheckpointTiming;
            var report = new CheckpointReport(active.Command.WorkloadId, active.Command.Generation,
                Encoding.UTF8.GetString(CheckpointManifestSerializer.ToBytes(manifest)), requested + (timing?.ToSafePoint ?? TimeSpan.Zero), timing?.BytesWritten ?? 0);
            // Droppable: the next periodic checkpoint supersedes this one (its chunks are stored already).
            outbox.Enqueue(report, (hub, r) => active.Discarded ? Task.CompletedTask : DeliverAsync(hub, r), droppable: true, kind: "periodic checkpoint report");
            logger.LogDebug("Periodic checkpoint {Sequence} of workload {Workload}: {Bytes} bytes new", manifest.Sequence, active.Command.WorkloadId, report.BytesWritten);
            return report;
        }
        catch (Exception ex)
        {
            // Ended meanwhile (nothing lost), or the upload failed: the next interval tries again.
            var ended = active.Instance.IsCompletedSuccessfully && active.Instance.Result.State == WorkloadInstanceState.Ended;
            logger.Log(ended ? LogLevel.Debug : LogLevel.Warning, "Periodic checkpoint of workload {Workload} not taken: {Reason}", active.Command.WorkloadId, ex.Message);
            return null;
        }
    }

    private async Task DeliverAsync(HubConnection hub, CheckpointReport report)
    {
        var ack = await hub.InvokeAsync<CheckpointAck?>(nameof(IAgentHub.ReportCheckpoint), report);
        if (ack is { ChunksMissing: true })
        {
            remote.Forget();
            logger.LogWarning("The control plane did not record the checkpoint of workload {Workload}: {Reason}. The next checkpoint uploads every chunk again.",
                report.WorkloadId, ack.Reason);
        }
    }

    private static bool Due(ActiveWorkload active) =>
        active.LocalState == LocalWorkloadState.Running && !active.Migrating && !active.Paused && !active.Discarded
        && !active.Stop.IsCancellationRequested && active.Instance.IsCompletedSuccessfully;
}
