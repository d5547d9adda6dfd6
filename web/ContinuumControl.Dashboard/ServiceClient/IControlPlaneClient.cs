using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.ServiceClient;

/// <summary>The dashboard's only way to the control plane: a snapshot, a stream of changes, and the few actions a page offers.</summary>
/// <remarks>
/// Pages start <see cref="WatchAsync"/> (first <c>MoveNextAsync</c> pending) before they load the snapshot or output, so
/// nothing is missed in between; a change already contained in the snapshot may therefore arrive again and is applied
/// idempotently. One circuit may hold several watches at once (the pool page and an open output view).
/// </remarks>
public interface IControlPlaneClient
{
    /// <summary>
    /// Nodes, modules, recent migrations, every unfinished workload and only the most recent finished ones: bounded
    /// however long the history grows. Finished workloads are found with <see cref="QueryWorkloadsAsync"/>.
    /// </summary>
    Task<DashboardSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>One page of workloads (finished ones included) matching <paramref name="filter"/>, with the total that match.</summary>
    Task<WorkloadTablePage> QueryWorkloadsAsync(WorkloadFilter filter, WorkloadSort sort, bool descending, int skip, int take, CancellationToken cancellationToken);

    /// <summary>One workload, finished or not; null when there is none with that id.</summary>
    Task<WorkloadDto?> GetWorkloadAsync(Guid workloadId, CancellationToken cancellationToken);

    /// <summary>Changes from the moment of the call until <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<ClusterChange> WatchAsync(CancellationToken cancellationToken);

    /// <summary>Output of one stream (<c>"stdout"</c> or <c>"stderr"</c>) from byte <paramref name="offset"/>.</summary>
    Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken);

    /// <summary>Creates and places a workload; a refusal comes back as <see cref="ControlPlaneException"/> with the reason.</summary>
    Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken);

    Task StopAsync(Guid workloadId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts moving a running workload to <paramref name="targetNodeId"/> (an OperatorMove evaluation: the scheduler checks
    /// the target on the full node view); returns at once with the migration in its first phase. A move the target cannot
    /// take (Down, not enough memory, energy, missing capability, constraint, same node, one already in flight) is refused
    /// with <see cref="ControlPlaneException"/> saying why.
    /// </summary>
    Task<MigrationDto> MigrateAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken);

    /// <summary>
    /// What the scheduler would say to that move now (a dry-run evaluation, nothing committed): the same rules and words
    /// as <see cref="MigrateAsync"/>, for a hint before the user asks.
    /// </summary>
    Task<MoveCheckDto> CheckMoveAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken);

    /// <summary>Migrations, newest first: of one workload, or of the whole cluster when <paramref name="workloadId"/> is null.</summary>
    Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken);

    /// <summary>The node takes no new workloads; what runs there stays.</summary>
    Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken);

    /// <summary>The node takes no new workloads and the Drain policy moves what runs there away.</summary>
    Task<NodeDto> DrainAsync(Guid nodeId, CancellationToken cancellationToken);

    /// <summary>The node takes work again.</summary>
    Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken);

    /// <summary>Pins a workload to its node (no policy moves it) or releases it.</summary>
    Task<WorkloadDto> PinAsync(Guid workloadId, bool pinned, CancellationToken cancellationToken);

    Task<IReadOnlyList<PolicyDto>> GetPoliciesAsync(CancellationToken cancellationToken);

    /// <summary>Pauses or resumes one policy.</summary>
    Task<PolicyDto> SetPolicyPausedAsync(string name, bool paused, CancellationToken cancellationToken);

    /// <summary>Runs one policy now instead of at its next scheduled time.</summary>
    Task RunPolicyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Recent evaluations with their plans and refusals, newest first.</summary>
    Task<IReadOnlyList<EvaluationDto>> GetEvaluationsAsync(CancellationToken cancellationToken);
}
