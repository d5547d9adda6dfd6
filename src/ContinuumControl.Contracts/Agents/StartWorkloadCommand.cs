using System.Text.Json.Serialization;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Contracts.Agents;

/// <summary>Tells an agent to run a workload under a placement generation.</summary>
/// <param name="Priority">Low, Normal or High: the local scheduler's priority class.</param>
/// <param name="CheckpointIntervalMs">How often to checkpoint it into the control plane's chunk store (so a lost node costs at most that much progress); 0: never.</param>
/// <param name="OutputLimitBytes">Bytes of stdout and stderr together it may write over its life; past it, it fails. Null: no limit.</param>
/// <param name="CpuTimeLimitSeconds">CPU seconds it may use over its life (a checkpoint carries what it used so far). Null: no limit.</param>
/// <param name="WallClockRemainingSeconds">Seconds left of its wall-clock limit when the command was sent; past them, it fails. Null: no limit.</param>
/// <param name="Volumes">Node volumes to preopen, by name and guest path; the agent maps each name to its own directory. Null: none.</param>
public sealed record StartWorkloadCommand(
    Guid WorkloadId,
    long Generation,
    string ModuleHash,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WorkloadPriority>))] WorkloadPriority Priority = WorkloadPriority.Normal,
    int CheckpointIntervalMs = 0,
    long? OutputLimitBytes = null,
    double? CpuTimeLimitSeconds = null,
    double? WallClockRemainingSeconds = null,
    IReadOnlyList<Api.VolumeMountDto>? Volumes = null);

/// <summary>Tells an agent to stop a workload; ignored unless the generation matches what it runs.</summary>
public sealed record StopWorkloadCommand(Guid WorkloadId, long Generation, string Reason);
