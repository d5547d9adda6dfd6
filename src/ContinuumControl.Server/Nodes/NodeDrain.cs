using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Orchestration;
using ContinuumControl.Server.Orchestration.Policies;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Nodes;

/// <summary>
/// An operator's say over a node: cordon (no new workloads, what runs stays), drain (no new workloads, and the Drain
/// policy moves what runs away — started at once here, retried by the policy until the node is empty) and uncordon.
/// </summary>
public sealed class NodeDrain(IDbContextFactory<ControlPlaneDbContext> dbFactory, EvaluationBroker broker, PolicyRunner policies, MigrationCoordinator migrations, ClusterEvents events)
{
    public Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken) =>
        SetStateAsync(nodeId, NodeState.Cordoned, cancellationToken);

    public async Task<DrainResult> DrainAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        var node = await SetStateAsync(nodeId, NodeState.Draining, cancellationToken);
        var drain = (await policies.ListAsync(cancellationToken)).First(p => p.Name == "Drain");
        if (!drain.Enabled || drain.Paused)
        {
            var why = drain.Paused ? "the Drain policy is paused; resume it to move work off the node" : "the Drain policy is switched off (Orchestration:Policies:Drain:Enabled)";
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var staying = await db.Workloads.AsNoTracking().Where(w => w.NodeId == nodeId).ToListAsync(cancellationToken);
            return new DrainResult(nodeId, [], staying.Where(w => w.IsActive).Select(w => new DrainRefusal(w.Id, why)).ToList());
        }
        var record = await broker.EvaluateAsync(EvaluationSummary.New(EvaluationTrigger.Drain, $"{node.Name} drained by an operator", nodeId: nodeId), cancellationToken);
        var refused = record.Plan!.Refusals.Select(r => new DrainRefusal(r.WorkloadId, r.Reason))
            .Concat(record.Outcomes.Where(o => o.Outcome != PlanOutcome.Committed).Select(o => new DrainRefusal(o.WorkloadId, o.Reason ?? "rejected")))
            .ToList();
        // The Drain policy's own round may have started a move off the node between the state change and this
        // evaluation (which then plans nothing for a workload already moving): the answer lists every move off the
        // node in flight, whoever started it, so "nothing started, nothing refused" means the node holds no work.
        var migrationIds = record.Outcomes.Where(o => o.MigrationId is not null).Select(o => o.MigrationId!.Value)
            .Concat(migrations.Active.Where(m => m.SourceNodeId == nodeId && !m.IsFinished).Select(m => m.Id))
            .Distinct().ToList();
        var started = new List<MigrationDto>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var id in migrationIds)
            {
                if (await db.MigrationDtoAsync(id, cancellationToken) is { } dto)
                {
                    started.Add(dto);
                }
            }
        }
        return new DrainResult(nodeId, started, refused);
    }

    public async Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken) =>
        await SetStateAsync(nodeId, NodeState.Ready, cancellationToken);

    private async Task<NodeDto> SetStateAsync(Guid nodeId, NodeState state, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await db.Nodes.FirstOrDefaultAsync(n => n.Id == nodeId, cancellationToken) ?? throw RefusalException.NotFound("Node", nodeId);
        if (node.State == NodeState.Down)
        {
            throw new RefusalException(StatusCodes.Status409Conflict, "Node is Down",
                $"{node.Name} is Down; it cannot be {Verb(state)} until its agent returns. The NodeDown policy resumes its workloads elsewhere.");
        }
        if (node.State != state)
        {
            node.State = state;
            await db.SaveChangesAsync(cancellationToken);
            await events.PublishNodesAsync(db, [nodeId], cancellationToken);
        }
        return (await db.NodeDtoAsync(nodeId, cancellationToken))!;
    }

    private static string Verb(NodeState state) => state switch
    {
        NodeState.Cordoned => "cordoned",
        NodeState.Draining => "drained",
        _ => "uncordoned",
    };
}

/// <summary>What a drain started, and which workloads could not move with why.</summary>
public sealed record DrainResult(Guid NodeId, IReadOnlyList<MigrationDto> Migrations, IReadOnlyList<DrainRefusal> Refused);

/// <summary>A workload a drain could not move, and why.</summary>
public sealed record DrainRefusal(Guid WorkloadId, string Reason);
