using System.Text.Json.Serialization;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Contracts.Api;

/// <summary>
/// A reason for the scheduler to look at the cluster (Submitted, NodeDown, Drain, Rebalance, OperatorMove, Offload,
/// EnergyLow), and the plan it produced.
/// </summary>
/// <param name="Status">Pending, Planned, Applied (all or part committed), or Failed.</param>
/// <param name="Reason">Why it was created, in words.</param>
public sealed record EvaluationDto(
    Guid Id,
    [property: JsonConverter(typeof(JsonStringEnumConverter<EvaluationTrigger>))] EvaluationTrigger Trigger,
    [property: JsonConverter(typeof(JsonStringEnumConverter<EvaluationStatus>))] EvaluationStatus Status,
    string Reason,
    Guid? NodeId,
    Guid? WorkloadId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    PlanDto? Plan);

/// <summary>What the scheduler decided for one evaluation, and what the applier committed of it.</summary>
public sealed record PlanDto(
    IReadOnlyList<PlanItemDto> Items,
    IReadOnlyList<WorkloadRefusalDto> Refusals,
    double ComputeMs);

/// <summary>One placement (From null) or migration in a plan, with its score and whether it was committed.</summary>
/// <param name="Outcome">Planned, Committed, or Rejected (with <paramref name="OutcomeReason"/>).</param>
public sealed record PlanItemDto(
    Guid WorkloadId,
    string WorkloadName,
    Guid? FromNodeId,
    Guid ToNodeId,
    string ToNodeName,
    double Score,
    string Reason,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PlanOutcome>))] PlanOutcome Outcome,
    string? OutcomeReason);

/// <summary>A workload the plan could not place or move, with every candidate node's rejection ("why not this node").</summary>
public sealed record WorkloadRefusalDto(Guid WorkloadId, string WorkloadName, string Reason, IReadOnlyList<CandidateRejectionDto> Candidates);

/// <summary>Why one node was not chosen: the filter that refused it and its words.</summary>
public sealed record CandidateRejectionDto(string NodeName, string Filter, string Reason);

/// <summary>A cluster policy (a Hangfire recurring job) and its state.</summary>
/// <param name="Name">Rebalance, Drain, Offload, EnergyLow or NodeDown.</param>
/// <param name="Enabled">Configured on (appsettings Orchestration:Policies:Name:Enabled).</param>
/// <param name="Paused">Paused by an operator (persists across restarts).</param>
/// <param name="Settings">The policy's tunables as configured.</param>
public sealed record PolicyDto(
    string Name,
    string Description,
    bool Enabled,
    bool Paused,
    string Schedule,
    DateTimeOffset? LastRunAt,
    string? LastResult,
    IReadOnlyDictionary<string, string> Settings);

/// <summary>An operator's request to pin a workload to its node (or release it).</summary>
public sealed record PinRequest(bool Pinned);
