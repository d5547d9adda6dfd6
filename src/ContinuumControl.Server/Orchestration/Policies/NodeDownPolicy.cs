using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>
/// Recovers the workloads of lost nodes: each resumes elsewhere from its last periodic checkpoint (or starts over if it
/// has none) under a new generation, so the lost node's copy is stale and is discarded if the node comes back.
/// </summary>
public sealed class NodeDownPolicy(IDbContextFactory<ControlPlaneDbContext> dbFactory, EvaluationBroker broker, Recovery.RunRecovery recovery) : IClusterPolicy
{
    public string Name => "NodeDown";

    public string Description => "Resumes the workloads of Down nodes on other nodes from their last periodic checkpoint; a returning node's stale copies are discarded.";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        List<(Guid Id, string Name)> lost;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var down = await db.Nodes.AsNoTracking().Where(n => n.State == NodeState.Down).Select(n => new { n.Id, n.Name }).ToListAsync(cancellationToken);
            var downIds = down.Select(n => n.Id).ToList();
            var holding = await db.Workloads.AsNoTracking().Where(w => w.NodeId != null && downIds.Contains(w.NodeId.Value)).ToListAsync(cancellationToken);
            // Restart policy Never: the lost run is the last; the workload fails with the reason instead of moving.
            foreach (var never in holding.Where(w => w.IsActive && w.RestartPolicy == Domain.Workloads.RestartPolicy.Never).ToList())
            {
                var node = down.First(n => n.Id == never.NodeId);
                await recovery.LoseRunAsync(never.Id, node.Id, never.Generation, $"its node {node.Name} is Down (no heartbeat past its TTL)");
                holding.Remove(never);
            }
            lost = down.Where(n => holding.Any(w => w.NodeId == n.Id && w.IsActive)).Select(n => (n.Id, n.Name)).ToList();
        }
        var records = new List<EvaluationRecord>();
        foreach (var (id, name) in lost)
        {
            records.Add(await broker.EvaluateAsync(EvaluationSummary.New(EvaluationTrigger.NodeDown, $"{name} is Down", nodeId: id), cancellationToken));
        }
        return EvaluationSummary.Of(records, "no work on Down nodes");
    }
}
