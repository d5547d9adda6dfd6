using ContinuumControl.Contracts.Api;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Turns the volumes a command mounts into preopened directories on this node (Agent:Volumes maps each name to a host
/// directory). The control plane places a workload only on nodes that offer its volumes, so a missing one means this
/// node's configuration changed since it registered: the start fails with that reason.
/// </summary>
public static class VolumeMounts
{
    public static IReadOnlyList<PreopenedDirectory> Preopens(IReadOnlyList<VolumeMountDto>? mounts, WorkloadOptions node) =>
        mounts is null or { Count: 0 } ? [] : mounts.Select(m => new PreopenedDirectory(m.Volume, HostPath(m.Volume, node), m.GuestPath)).ToList();

    /// <summary>For a restore: the command's mounts as the checkpoint names them (the host paths come from <see cref="RestoreOptions.Volumes"/>).</summary>
    public static IReadOnlyList<CheckpointPreopen> CheckpointPreopens(IReadOnlyList<VolumeMountDto>? mounts, WorkloadOptions node)
    {
        foreach (var mount in mounts ?? [])
        {
            _ = HostPath(mount.Volume, node);
        }
        return mounts is null ? [] : mounts.Select(m => new CheckpointPreopen(m.Volume, m.GuestPath)).ToList();
    }

    private static string HostPath(string volume, WorkloadOptions node) =>
        node.Volumes.TryGetValue(volume, out var path)
            ? path
            : throw new InvalidOperationException($"this node has no volume '{volume}' (set Agent:Volumes:{volume} to a directory and restart its agent)");
}
