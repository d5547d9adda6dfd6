using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Modules;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Server.Live;

/// <summary>Maps domain objects to the wire shapes of the API and the dashboard.</summary>
public static class Dtos
{
    public static NodeDto ToDto(this Node node, NodeAllocation allocation) => new(
        node.Id, node.Name, node.Class, node.State, node.Architecture, node.Cores, node.MemoryBytes,
        allocation.MemoryBytes, node.CpuPercent, node.MemoryUsedBytes, node.Labels, node.Capabilities, node.LastHeartbeatAt, allocation.Workloads, node.ReportedWorkloads,
        new NodePressureDto(node.EffectiveSlots, node.SlotsUsed, node.QueuedWorkloads, node.SuspendedWorkloads),
        node.EnergyLevel is { } level ? new NodeEnergyDto(level, node.EnergyHarvestWatts, node.EnergySecondsLeft) : null);

    public static WorkloadDto ToDto(this Workload w, string? nodeName) => new(
        w.Id, w.Name, w.ModuleHash, w.Args, w.Env, w.MemoryLimitBytes, w.RequiredClass, w.RequiredLabels,
        w.State, w.NodeId, nodeName, w.Generation, w.ExitCode, w.FailureReason, w.CreatedAt, w.StartedAt, w.FinishedAt,
        w.Priority, w.Pinned, w.CheckpointedAt,
        new WorkloadRestartDto(w.RestartPolicy, w.MaxRestarts, w.RestartBackoffSeconds, w.FailureRestarts, w.Attempts.Count, w.RestartAt,
            w.Attempts.Select(a => new WorkloadAttemptDto(a.Number, a.NodeId, a.StartedAt, a.EndedAt, a.EndReason, a.FromCheckpoint)).ToList()),
        w.CheckpointIntervalSeconds, w.OutputLimitBytes, w.CpuTimeLimitSeconds, w.WallClockLimitSeconds, w.VolumeMounts());

    public static List<VolumeMountDto> VolumeMounts(this Workload w) =>
        w.Volumes.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new VolumeMountDto(v.Value, v.Key)).ToList();

    public static ModuleDto ToDto(this Module m) => new(m.Hash, m.Name, m.SizeBytes, m.Imports, m.UploadedAt, m.InstrumentedHash, m.SafePoints);
}

/// <summary>What the workloads placed on a node have been promised.</summary>
public readonly record struct NodeAllocation(long MemoryBytes, int Workloads);
