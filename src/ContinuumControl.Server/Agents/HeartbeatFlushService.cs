using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Agents;

/// <summary>Writes absorbed heartbeats to the database in one batch per interval.</summary>
public sealed class HeartbeatFlushService(
    HeartbeatAbsorber absorber,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    ServerOptions options,
    TimeProvider time,
    ILogger<HeartbeatFlushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.HeartbeatFlushMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Writing heartbeats failed; they are retried with the next batch");
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var pending = absorber.TakePending();
        if (pending.Count == 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = pending.Select(p => p.NodeId).ToList();
        var nodes = await db.Nodes.Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
        foreach (var (id, liveness) in pending)
        {
            if (nodes.TryGetValue(id, out var node) && liveness.Pending is { } hb)
            {
                node.LastHeartbeatAt = liveness.LastSeen;
                node.CpuPercent = hb.CpuPercent;
                node.MemoryUsedBytes = hb.MemoryUsedBytes;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await events.PublishNodesAsync(db, ids, cancellationToken);
    }
}
