using System.Text.Json.Serialization;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Contracts.Api;

/// <summary>A workload as the API shows it.</summary>
public sealed record WorkloadDto(
    Guid Id,
    string Name,
    string ModuleHash,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes,
    [property: JsonConverter(typeof(JsonStringEnumConverter<NodeClass>))] NodeClass? RequiredClass,
    IReadOnlyDictionary<string, string> RequiredLabels,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WorkloadState>))] WorkloadState State,
    Guid? NodeId,
    string? NodeName,
    long Generation,
    int? ExitCode,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WorkloadPriority>))] WorkloadPriority Priority = WorkloadPriority.Normal,
    bool Pinned = false,
    DateTimeOffset? CheckpointedAt = null,
    WorkloadRestartDto? Restart = null,
    int? CheckpointIntervalSeconds = null,
    long? OutputLimitBytes = null,
    double? CpuTimeLimitSeconds = null,
    double? WallClockLimitSeconds = null,
    IReadOnlyList<VolumeMountDto>? Volumes = null);

/// <summary>A workload's restart policy and its runs so far.</summary>
/// <param name="Policy">Never, OnNodeLoss or OnFailure.</param>
/// <param name="MaxRestarts">Most restarts after failures.</param>
/// <param name="BackoffSeconds">Wait before the first restart after a failure (doubled for each further one).</param>
/// <param name="Restarts">Restarts after failures so far.</param>
/// <param name="AttemptCount">Runs so far (the first run, recoveries and restarts).</param>
/// <param name="RestartAt">When a restart after a failure is due, while it waits.</param>
/// <param name="Attempts">Every run, oldest first, with why each ended.</param>
public sealed record WorkloadRestartDto([property: JsonConverter(typeof(JsonStringEnumConverter<RestartPolicy>))] RestartPolicy Policy, int MaxRestarts, int BackoffSeconds, int Restarts, int AttemptCount, DateTimeOffset? RestartAt, IReadOnlyList<WorkloadAttemptDto> Attempts);

/// <summary>One run of a workload.</summary>
/// <param name="Number">1 for the first run.</param>
/// <param name="NodeId">Where it ran.</param>
/// <param name="StartedAt">When it was placed.</param>
/// <param name="EndedAt">When it ended; null for the current run.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="FromCheckpoint">Whether it resumed from a checkpoint.</param>
public sealed record WorkloadAttemptDto(int Number, Guid? NodeId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? EndReason, bool FromCheckpoint);
