using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Jobs;

/// <summary>Deletes finished workloads and their output once they are older than the retention period (a Hangfire recurring job).</summary>
public sealed class RetentionJob(IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time, ILogger<RetentionJob> logger)
{
    public const string Id = "retention";
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public async Task RunAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var cutoff = time.GetUtcNow() - Retention;
        var old = await db.Workloads
            .Where(w => (w.State == WorkloadState.Completed || w.State == WorkloadState.Failed || w.State == WorkloadState.Stopped) && w.FinishedAt < cutoff)
            .Select(w => w.Id)
            .ToListAsync();
        if (old.Count == 0)
        {
            return;
        }
        await db.OutputChunks.Where(c => old.Contains(c.WorkloadId)).ExecuteDeleteAsync();
        await db.Workloads.Where(w => old.Contains(w.Id)).ExecuteDeleteAsync();
        logger.LogInformation("Retention removed {Count} finished workloads older than {Days} days", old.Count, Retention.TotalDays);
    }
}
