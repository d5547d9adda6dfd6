namespace ContinuumControl.Contracts.Api;

/// <summary>A workload as the API shows it.</summary>
public sealed record WorkloadDto(
    Guid Id,
    string Name,
    string ModuleHash,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes,
    string? RequiredClass,
    IReadOnlyDictionary<string, string> RequiredLabels,
    string State,
    Guid? NodeId,
    string? NodeName,
    long Generation,
    int? ExitCode,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string Priority = "Normal",
    bool Pinned = false,
    DateTimeOffset? CheckpointedAt = null);
