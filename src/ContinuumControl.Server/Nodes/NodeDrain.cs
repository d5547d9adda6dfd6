using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Nodes;

/// <summary>Drain: a node takes no new workloads and its running ones move away. Uncordon: it takes work again.</summary>
public sealed class NodeDrain(IDbContextFactory<ControlPlaneDbContext> dbFactory, MigrationCoordinator migrations, ClusterEvents events)
{
    public async Task<DrainResult> DrainAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        List<Guid> running;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var node = await db.Nodes.FirstOrDefaultAsync(n => n.Id == nodeId, cancellationToken) ?? throw RefusalException.NotFound("Node", nodeId);
            if (node.State == NodeState.Down)
            {
                throw new RefusalException(StatusCodes.Status409Conflict, "Node is Down", $"{node.Name} is Down; its workloads cannot be migrated live until its agent returns.");
            }
            node.State = NodeState.Draining;
            await db.SaveChangesAsync(cancellationToken);
            await events.PublishNodesAsync(db, [nodeId], cancellationToken);
            running = await db.Workloads.Where(w => w.NodeId == nodeId && w.State == WorkloadState.Running).Select(w => w.Id).ToListAsync(cancellationToken);
        }
        var started = new List<MigrationDto>();
        var refused = new List<DrainRefusal>();
        foreach (var id in running)
        {
            try
            {
                started.Add(await migrations.RequestAsync(id, null, null, MigrationTrigger.Drain, cancellationToken));
            }
            catch (RefusalException ex)
            {
                refused.Add(new DrainRefusal(id, ex.Message));
            }
        }
        return new DrainResult(nodeId, started, refused);
    }

    public async Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await db.Nodes.FirstOrDefaultAsync(n => n.Id == nodeId, cancellationToken) ?? throw RefusalException.NotFound("Node", nodeId);
        if (node.State == NodeState.Draining)
        {
            node.State = NodeState.Ready;
            await db.SaveChangesAsync(cancellationToken);
            await events.PublishNodesAsync(db, [nodeId], cancellationToken);
        }
        return (await db.NodeDtoAsync(nodeId, cancellationToken))!;
    }
}

/// <summary>What a drain started, and which workloads could not move with why.</summary>
public sealed record DrainResult(Guid NodeId, IReadOnlyList<MigrationDto> Migrations, IReadOnlyList<DrainRefusal> Refused);

/// <summary>A workload a drain could not move, and why.</summary>
public sealed record DrainRefusal(Guid WorkloadId, string Reason);
