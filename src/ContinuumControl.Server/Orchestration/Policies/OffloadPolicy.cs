using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>Serves local schedulers' offload requests: moves the workload to a node with room, or keeps the request for the next round.</summary>
public sealed class OffloadPolicy(IDbContextFactory<ControlPlaneDbContext> dbFactory, OffloadRequests requests, EvaluationBroker broker) : IClusterPolicy
{
    public string Name => "Offload";

    public string Description => "Moves work a node's local scheduler cannot serve in time (it asked, with the reason) to a node with free slots.";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var records = new List<EvaluationRecord>();
        foreach (var offload in requests.TakeAll())
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == offload.Request.WorkloadId, cancellationToken);
                if (workload is null || !workload.IsActive || workload.NodeId != offload.NodeId || workload.Generation != offload.Request.Generation)
                {
                    continue;
                }
            }
            var record = await broker.EvaluateAsync(
                EvaluationSummary.New(EvaluationTrigger.Offload, offload.Request.Reason, nodeId: offload.NodeId, workloadId: offload.Request.WorkloadId), cancellationToken);
            records.Add(record);
            if (!record.Outcomes.Any(o => o.Outcome == PlanOutcome.Committed))
            {
                requests.PutBack(offload);
            }
        }
        return EvaluationSummary.Of(records, "no offload requests");
    }
}
