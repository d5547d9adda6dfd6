using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Orchestration;

/// <summary>Reads the cluster from the database into the scheduler's read-only snapshot.</summary>
public sealed class SnapshotReader(IDbContextFactory<ControlPlaneDbContext> dbFactory, MigrationCoordinator migrations, TimeProvider time)
{
    public async Task<ClusterSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ReadAsync(db, cancellationToken);
    }

    public async Task<ClusterSnapshot> ReadAsync(ControlPlaneDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nodes = await db.Nodes.AsNoTracking().ToListAsync(cancellationToken);
        var allocations = await db.AllocationsAsync(cancellationToken);
        var workloads = await db.Workloads.AsNoTracking().Where(w => w.NodeId != null || w.State == WorkloadState.Pending)
            .Where(w => w.State != WorkloadState.Completed && w.State != WorkloadState.Failed && w.State != WorkloadState.Stopped)
            .ToListAsync(cancellationToken);
        var imports = await db.Modules.AsNoTracking().ToDictionaryAsync(m => m.Hash, m => m.Imports, cancellationToken);
        var ids = workloads.Select(w => w.Id).ToList();
        var lastMoves = await db.Migrations.AsNoTracking()
            .Where(m => m.Phase == MigrationPhase.Completed && ids.Contains(m.WorkloadId))
            .GroupBy(m => m.WorkloadId)
            .Select(g => new { WorkloadId = g.Key, At = g.Max(m => m.FinishedAt) })
            .ToListAsync(cancellationToken);
        var movedAt = lastMoves.ToDictionary(m => m.WorkloadId, m => m.At);
        var modules = workloads.Where(w => w.NodeId is not null).GroupBy(w => w.NodeId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.GroupBy(w => w.ModuleHash).ToDictionary(m => m.Key, m => m.Count()));
        var candidates = nodes.Select(n =>
        {
            var a = allocations.GetValueOrDefault(n.Id);
            return new NodeCandidate(n.Id, n.Name, n.Class, n.State, n.MemoryBytes, a.MemoryBytes, a.Workloads, n.Labels, n.Capabilities)
            {
                Slots = n.EffectiveSlots,
                Queued = n.QueuedWorkloads,
                Suspended = n.SuspendedWorkloads,
                EnergyLevel = n.EnergyLevel,
                EnergySecondsLeft = n.EnergySecondsLeft,
                Zone = n.Labels.GetValueOrDefault("zone"),
                Modules = modules.GetValueOrDefault(n.Id) ?? new Dictionary<string, int>(),
            };
        }).ToList();
        var views = workloads.Select(w => View(w, imports.GetValueOrDefault(w.ModuleHash) ?? [], movedAt.GetValueOrDefault(w.Id))).ToList();
        var inFlight = migrations.Active.Where(m => !m.IsFinished).Select(m => new MigrationInFlight(m.WorkloadId, m.SourceNodeId, m.TargetNodeId, m.Id)).ToList();
        return new ClusterSnapshot(candidates, views, inFlight, now);
    }

    public static WorkloadView View(Workload w, IReadOnlyList<string> imports, DateTimeOffset? lastMovedAt) =>
        new(w.Id, w.Name, w.NodeId, w.ModuleHash, w.MemoryLimitBytes, w.Constraints, [.. Capabilities(imports), .. w.Volumes.Values.Distinct().Select(NodeVolumes.Capability)], w.Priority, w.Pinned, w.State,
            lastMovedAt, w.CheckpointManifestJson is not null);

    /// <summary>Host import modules a module needs ("wasi_snapshot_preview1", "continuum"): nodes must offer each.</summary>
    public static IReadOnlyList<string> Capabilities(IReadOnlyList<string> imports) => imports.Select(i => i.Split('.', 2)[0]).Distinct().ToList();
}
