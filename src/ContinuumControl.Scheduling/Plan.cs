namespace ContinuumControl.Scheduling;

/// <summary>Bind a workload to a node (a new workload, or one whose node was lost or that never started where it waits).</summary>
/// <param name="FromCheckpoint">Resume from its last periodic checkpoint instead of starting over.</param>
public sealed record PlannedPlacement(Guid WorkloadId, Guid NodeId, double Score, string Reason, bool FromCheckpoint);

/// <summary>Move a running workload live from one node to another.</summary>
public sealed record PlannedMigration(Guid WorkloadId, Guid FromNodeId, Guid ToNodeId, double Score, string Reason);

/// <summary>A workload the plan leaves where it is (or unplaced), why, and every candidate node's rejection.</summary>
public sealed record WorkloadRefusal(Guid WorkloadId, string Reason, IReadOnlyList<NodeRejection> Candidates);

/// <summary>What one evaluation decided.</summary>
public sealed record Plan(Guid EvaluationId, IReadOnlyList<PlannedPlacement> Placements, IReadOnlyList<PlannedMigration> Migrations, IReadOnlyList<WorkloadRefusal> Refusals)
{
    public bool IsEmpty => Placements.Count == 0 && Migrations.Count == 0;
}
