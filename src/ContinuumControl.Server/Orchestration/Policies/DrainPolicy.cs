using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Migrations;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>Empties Draining nodes: each round moves what is still there (a migration that aborted is retried).</summary>
public sealed class DrainPolicy(IDbContextFactory<ControlPlaneDbContext> dbFactory, EvaluationBroker broker, MigrationCoordinator migrations) : IClusterPolicy
{
    public string Name => "Drain";

    public string Description => "Moves every workload off Draining nodes (live migration for running ones, re-placement for queued ones); pinned workloads stay and are reported.";

    public async Task<string> RunAsync(CancellationToken cancellationToken) => await DrainAsync(null, cancellationToken);

    /// <summary>One round for <paramref name="only"/> node, or every Draining node.</summary>
    public async Task<string> DrainAsync(Guid? only, CancellationToken cancellationToken)
    {
        List<(Guid Id, string Name)> draining;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var nodes = await db.Nodes.AsNoTracking().Where(n => n.State == NodeState.Draining && (only == null || n.Id == only)).Select(n => new { n.Id, n.Name }).ToListAsync(cancellationToken);
            var busy = await db.Workloads.AsNoTracking().Where(w => w.NodeId != null).ToListAsync(cancellationToken);
            draining = nodes.Where(n => busy.Any(w => w.NodeId == n.Id && w.IsActive && !migrations.IsMigrating(w.Id))).Select(n => (n.Id, n.Name)).ToList();
        }
        var records = new List<EvaluationRecord>();
        foreach (var (id, name) in draining)
        {
            records.Add(await broker.EvaluateAsync(EvaluationSummary.New(EvaluationTrigger.Drain, $"{name} is draining", nodeId: id), cancellationToken));
        }
        return EvaluationSummary.Of(records, "no draining node holds work");
    }
}
