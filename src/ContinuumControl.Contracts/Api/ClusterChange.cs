namespace ContinuumControl.Contracts.Api;

/// <summary>One change in the cluster, pushed live to the dashboard and watchers.</summary>
/// <param name="Kind">What changed.</param>
public sealed record ClusterChange(ClusterChangeKind Kind, NodeDto? Node = null, WorkloadDto? Workload = null, Guid? RemovedId = null, OutputDto? Output = null, Guid? OutputWorkloadId = null, ModuleDto? Module = null, MigrationDto? Migration = null, EvaluationDto? Evaluation = null, PolicyDto? Policy = null);

/// <summary>What a <see cref="ClusterChange"/> is about.</summary>
public enum ClusterChangeKind
{
    NodeUpserted,
    WorkloadUpserted,
    WorkloadRemoved,
    OutputAppended,
    ModuleAdded,
    MigrationUpserted,
    EvaluationUpserted,
    PolicyUpserted,
}

/// <summary>Everything the dashboard shows at one moment.</summary>
/// <param name="Migrations">Recent migrations, newest first (in flight and history).</param>
public sealed record DashboardSnapshot(IReadOnlyList<NodeDto> Nodes, IReadOnlyList<WorkloadDto> Workloads, IReadOnlyList<ModuleDto> Modules, IReadOnlyList<MigrationDto>? Migrations = null);
