using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Scheduling;

/// <summary>A reason to look at the cluster, with what it concerns.</summary>
/// <param name="Id">Also seeds the candidate sampling, so one evaluation always plans the same way on the same snapshot.</param>
/// <param name="Reason">Why, in words for the operator.</param>
/// <param name="NodeId">The node concerned (NodeDown, Drain, Offload: the asking node, EnergyLow: one node or all when null).</param>
/// <param name="WorkloadId">The workload concerned (Submitted, OperatorMove, Offload).</param>
/// <param name="TargetNodeId">OperatorMove: where the operator wants it; null lets the scheduler pick.</param>
public sealed record Evaluation(Guid Id, EvaluationTrigger Trigger, string Reason, Guid? NodeId = null, Guid? WorkloadId = null, Guid? TargetNodeId = null);
