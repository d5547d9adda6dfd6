using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Migrations;

/// <summary>Maps migrations to their wire shape, with workload and node names resolved.</summary>
public static class MigrationDtos
{
    public static MigrationDto ToDto(this Migration m, string workloadName, string sourceName, string targetName) => new(
        m.Id, m.WorkloadId, workloadName, m.SourceNodeId, sourceName, m.TargetNodeId, targetName, m.Phase, m.Trigger,
        m.PreCopy, m.Reason, m.RequestedAt, m.PhaseTimes().Select(p => new MigrationPhaseTime(p.Phase, p.At)).ToList(),
        m.FinishedAt, m.DowntimeMs, m.FinishedAt is { } end ? (end - m.RequestedAt).TotalMilliseconds : null, m.BytesMoved);

    public static async Task<List<MigrationDto>> MigrationDtosAsync(this ControlPlaneDbContext db, Guid? workloadId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Migrations.AsNoTracking();
        if (workloadId is { } id)
        {
            query = query.Where(m => m.WorkloadId == id);
        }
        var rows = await query.OrderByDescending(m => m.RequestedAt).Take(limit).ToListAsync(cancellationToken);
        return await db.WithNamesAsync(rows, cancellationToken);
    }

    public static async Task<MigrationDto?> MigrationDtoAsync(this ControlPlaneDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return row is null ? null : (await db.WithNamesAsync([row], cancellationToken))[0];
    }

    private static async Task<List<MigrationDto>> WithNamesAsync(this ControlPlaneDbContext db, List<Migration> rows, CancellationToken cancellationToken)
    {
        var nodeIds = rows.SelectMany(m => new[] { m.SourceNodeId, m.TargetNodeId }).Distinct().ToList();
        var workloadIds = rows.Select(m => m.WorkloadId).Distinct().ToList();
        var nodes = await db.Nodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
        var workloads = await db.Workloads.AsNoTracking().Where(w => workloadIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, cancellationToken);
        return rows.Select(m => m.ToDto(workloads.GetValueOrDefault(m.WorkloadId, "(deleted)"), nodes.GetValueOrDefault(m.SourceNodeId, "?"), nodes.GetValueOrDefault(m.TargetNodeId, "?"))).ToList();
    }
}
