using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Workloads;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Recovery;

/// <summary>
/// A run lost with its node's agent (kill -9, crash, restart, reboot, a migration source that died) is recovered like a
/// Down node's work: the workload is unbound and the <see cref="RestartSweeper"/> has the scheduler place it again, from
/// its last checkpoint or from the beginning. No dependencies on the scheduler, so migrations and the hub can use it.
/// </summary>
public sealed class RunRecovery(IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, TimeProvider time)
{
    private TaskCompletionSource _poke = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _poked;

    /// <summary>
    /// Ends the run of <paramref name="generation"/> on <paramref name="nodeId"/> as lost; nothing happens when the
    /// workload has since moved, finished or been placed again.
    /// </summary>
    /// <returns>What becomes of the workload, in words for a migration's or workload's reason; null when it was not that run.</returns>
    public async Task<string?> LoseRunAsync(Guid workloadId, Guid nodeId, long generation, string reason)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == workloadId);
        if (workload is null || workload.IsFinished || workload.NodeId != nodeId || workload.Generation != generation)
        {
            return null;
        }
        var recovered = workload.LoseRun(reason, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Placed or moved by someone else meanwhile: that placement is the recovery.
            return null;
        }
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: await db.WorkloadDtoAsync(workload, CancellationToken.None)));
        await events.PublishNodesAsync(db, [nodeId], CancellationToken.None);
        if (recovered)
        {
            Poke();
        }
        return Describe(workload);
    }

    /// <summary>What happens to a workload whose run was just lost.</summary>
    public static string Describe(Domain.Workloads.Workload workload) =>
        workload.IsFinished
            ? "its restart policy is Never, so it is not run again"
            : workload.CheckpointManifestJson is null
                ? "the workload starts again from the beginning (it had no checkpoint yet) on the node the scheduler picks"
                : $"the workload resumes from its last checkpoint (of {workload.CheckpointedAt:HH:mm:ss}) on the node the scheduler picks";

    /// <summary>Wakes the sweeper: a workload waits for placement.</summary>
    public void Poke()
    {
        Volatile.Write(ref _poked, 1);
        Interlocked.Exchange(ref _poke, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Returns when poked (or poked since the last wait) or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var poke = Volatile.Read(ref _poke).Task;
        if (Interlocked.Exchange(ref _poked, 0) == 1)
        {
            return;
        }
        try
        {
            await poke.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The periodic look: restarts whose backoff ran out.
        }
        Volatile.Write(ref _poked, 0);
    }
}
