using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.ServiceClient;

/// <summary>The dashboard's only way to the control plane: a snapshot, a stream of changes, and the few actions a page offers.</summary>
public interface IControlPlaneClient
{
    Task<ClusterSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Changes from the moment of the call until <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<ClusterChange> WatchAsync(CancellationToken cancellationToken);

    /// <summary>Output of one stream from <paramref name="offset"/>.</summary>
    Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken);

    /// <summary>Creates and places a workload; a refusal comes back as <see cref="ControlPlaneException"/> with the reason.</summary>
    Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken);

    Task StopAsync(Guid workloadId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken);
}
