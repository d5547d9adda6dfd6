using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Live;

/// <summary>Read-side queries shared by the API, the dashboard and placement.</summary>
public static class ClusterQueries
{
    public static async Task<Dictionary<Guid, NodeAllocation>> AllocationsAsync(this ControlPlaneDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Workloads.AsNoTracking()
            .Where(w => w.NodeId != null && (w.State == WorkloadState.Pending || w.State == WorkloadState.Running || w.State == WorkloadState.Queued || w.State == WorkloadState.Suspended))
            .GroupBy(w => w.NodeId!.Value)
            .Select(g => new { NodeId = g.Key, Memory = g.Sum(w => w.MemoryLimitBytes), Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.NodeId, r => new NodeAllocation(r.Memory, r.Count));
    }

    public static async Task<List<NodeDto>> NodeDtosAsync(this ControlPlaneDbContext db, CancellationToken cancellationToken, IReadOnlyCollection<Guid>? only = null)
    {
        var query = db.Nodes.AsNoTracking();
        if (only is not null)
        {
            query = query.Where(n => only.Contains(n.Id));
        }
        var nodes = await query.OrderBy(n => n.Name).ToListAsync(cancellationToken);
        var allocations = await db.AllocationsAsync(cancellationToken);
        return nodes.Select(n => n.ToDto(allocations.GetValueOrDefault(n.Id))).ToList();
    }

    public static async Task<NodeDto?> NodeDtoAsync(this ControlPlaneDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await db.NodeDtosAsync(cancellationToken, [id])).FirstOrDefault();

    public static async Task<WorkloadDto> WorkloadDtoAsync(this ControlPlaneDbContext db, Workload workload, CancellationToken cancellationToken)
    {
        string? nodeName = null;
        if (workload.NodeId is { } id)
        {
            nodeName = await db.Nodes.AsNoTracking().Where(n => n.Id == id).Select(n => n.Name).FirstOrDefaultAsync(cancellationToken);
        }
        return workload.ToDto(nodeName);
    }

    /// <summary>Publishes the current view of the given nodes when anyone is watching.</summary>
    public static async Task PublishNodesAsync(this ClusterEvents events, ControlPlaneDbContext db, IReadOnlyCollection<Guid> nodeIds, CancellationToken cancellationToken)
    {
        if (!events.HasSubscribers || nodeIds.Count == 0)
        {
            return;
        }
        foreach (var dto in await db.NodeDtosAsync(cancellationToken, nodeIds))
        {
            events.Publish(new ClusterChange(ClusterChangeKind.NodeUpserted, Node: dto));
        }
    }
}
