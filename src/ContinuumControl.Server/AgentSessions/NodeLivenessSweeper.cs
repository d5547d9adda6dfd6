using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>Marks nodes Down once their heartbeat TTL and grace have passed without a word (Nomad's model).</summary>
public sealed class NodeLivenessSweeper(
    HeartbeatAbsorber absorber,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    Orchestration.Policies.PolicyRunner policies,
    ServerOptions options,
    NodeTelemetry telemetry,
    TimeProvider time,
    ILogger<NodeLivenessSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await TrackKnownNodesAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Min(1000, options.HeartbeatTtl.TotalMilliseconds / 4)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Liveness sweep failed; retrying");
            }
        }
    }

    /// <summary>After a server start every live node gets a fresh TTL plus the failover grace: agents need time to reconnect.</summary>
    private async Task TrackKnownNodesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var id in await db.Nodes.Where(n => n.State != NodeState.Down).Select(n => n.Id).ToListAsync(cancellationToken))
        {
            if (absorber.LastSeen(id) is null)
            {
                absorber.TrackWithGrace(id, options.FailoverGrace);
            }
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var silent = absorber.SilentSince(time.GetUtcNow() - options.HeartbeatTtl - options.HeartbeatGrace);
        if (silent.Count == 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var nodes = await db.Nodes.Where(n => silent.Contains(n.Id) && n.State != NodeState.Down).ToListAsync(cancellationToken);
        foreach (var node in nodes)
        {
            node.State = NodeState.Down;
            logger.LogWarning("Node {Node} is Down: no heartbeat for {Ttl}s + {Grace}s grace", node.Name, options.HeartbeatTtlSeconds, options.HeartbeatGraceSeconds);
        }
        await db.SaveChangesAsync(cancellationToken);
        telemetry.NodesDown(nodes.Count);
        foreach (var id in silent)
        {
            // A Down node that speaks again is told it is unknown, so it registers and reconciles.
            absorber.Forget(id);
        }
        await events.PublishNodesAsync(db, nodes.Select(n => n.Id).ToList(), cancellationToken);
        if (nodes.Count > 0)
        {
            // Their workloads resume elsewhere from their last checkpoints now, not at the policy's next tick.
            policies.TriggerNow("NodeDown");
        }
    }
}
