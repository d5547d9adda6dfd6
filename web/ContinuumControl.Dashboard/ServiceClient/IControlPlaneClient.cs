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
    Task<ClusterSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Changes from the moment of the call until <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<ClusterChange> WatchAsync(CancellationToken cancellationToken);

    /// <summary>Output of one stream (<c>"stdout"</c> or <c>"stderr"</c>) from byte <paramref name="offset"/>.</summary>
    Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken);

    /// <summary>Creates and places a workload; a refusal comes back as <see cref="ControlPlaneException"/> with the reason.</summary>
    Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken);

    Task StopAsync(Guid workloadId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts moving a running workload to <paramref name="targetNodeId"/>; returns at once with the migration in its first
    /// phase. A move the target cannot take (Down, not enough memory, missing capability, constraint, same node, one
    /// already in flight) is refused with <see cref="ControlPlaneException"/> saying why.
    /// </summary>
    Task<MigrationDto> MigrateAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken);

    /// <summary>Migrations, newest first: of one workload, or of the whole cluster when <paramref name="workloadId"/> is null.</summary>
    Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken);
}
