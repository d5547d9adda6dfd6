using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Jobs;

/// <summary>
/// Removes finished workloads with their output and migrations once they finished longer ago than the retention period,
/// or are the oldest beyond the count kept (a Hangfire recurring job, <see cref="RetentionOptions"/>). Checkpoint chunks
/// are content-addressed and shared, so they stay in the chunk store.
/// </summary>
public sealed partial class RetentionJob(
    IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
{
    public const string Id = "retention";

    /// <summary>Workloads removed per statement: keeps each id list and transaction small on a large backlog.</summary>
    public const int Batch = 500;

    /// <summary>Runs once; returns how many workloads it removed.</summary>
    public async Task<int> RunAsync()
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync();
        var cutoff = time.GetUtcNow() - settings.FinishedWorkloadAge;
        var finished = db.Workloads.AsNoTracking().Where(w => WorkloadQueries.Finished.Contains(w.State));
        var expired = await finished.Where(w => w.FinishedAt == null || w.FinishedAt < cutoff).Select(w => w.Id).ToListAsync();
        // Newest-finished first; a finished workload without a finish time (older data) counts as oldest.
        var surplus = await finished.OrderByDescending(w => w.FinishedAt ?? DateTimeOffset.MinValue).ThenByDescending(w => w.CreatedAt)
            .Skip(settings.MaxFinishedWorkloads).Select(w => w.Id).ToListAsync();
        var doomed = expired.Union(surplus).ToList();
        foreach (var chunk in doomed.Chunk(Batch))
        {
            var ids = chunk.ToList();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.OutputChunks.Where(c => ids.Contains(c.WorkloadId)).ExecuteDeleteAsync();
            await db.Migrations.Where(m => ids.Contains(m.WorkloadId)).ExecuteDeleteAsync();
            await db.Workloads.Where(w => ids.Contains(w.Id) && WorkloadQueries.Finished.Contains(w.State)).ExecuteDeleteAsync();
            await transaction.CommitAsync();
            foreach (var id in ids)
            {
                events.Publish(new ClusterChange(ClusterChangeKind.WorkloadRemoved, RemovedId: id));
            }
        }
        if (doomed.Count > 0)
        {
            LogRemoved(doomed.Count, expired.Count, surplus.Count, settings.FinishedWorkloadHours, settings.MaxFinishedWorkloads);
        }
        return doomed.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} finished workloads ({Expired} finished over {Hours} h ago, {Surplus} beyond the {Max} kept)")]
    private partial void LogRemoved(int count, int expired, int surplus, int hours, int max);
}
