using System.Text.Json.Serialization;
using ContinuumControl.Domain.Migrations;

namespace ContinuumControl.Contracts.Api;

/// <summary>A live migration of a workload from one node to another, with its progress and measurements.</summary>
/// <param name="Phase">Requested, Preparing, Checkpointing, Transferring, Restoring, Completed, Aborted (the source resumed), Failed (the source was lost; the workload is recovered) or Superseded (the workload finished before it could move).</param>
/// <param name="Trigger">Who asked: Operator (dashboard), Api, Drain, Policy, Rebalance, Offload or EnergyLow.</param>
/// <param name="PreCopy">Whether memory was copied while the workload still ran before the final stop-and-copy.</param>
/// <param name="Reason">Why it was aborted or failed, in words a user can act on.</param>
/// <param name="Phases">When each phase was entered, in order.</param>
/// <param name="DowntimeMs">Source paused until target running, once known.</param>
/// <param name="TotalMs">Requested until finished, once finished.</param>
/// <param name="BytesMoved">Compressed checkpoint bytes uploaded by the source (pre-copy included).</param>
public sealed record MigrationDto(
    Guid Id,
    Guid WorkloadId,
    string WorkloadName,
    Guid SourceNodeId,
    string SourceNodeName,
    Guid TargetNodeId,
    string TargetNodeName,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MigrationPhase>))] MigrationPhase Phase,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MigrationTrigger>))] MigrationTrigger Trigger,
    bool PreCopy,
    string? Reason,
    DateTimeOffset RequestedAt,
    IReadOnlyList<MigrationPhaseTime> Phases,
    DateTimeOffset? FinishedAt,
    double? DowntimeMs,
    double? TotalMs,
    long BytesMoved)
{
    public bool IsFinished => Phase.IsFinished;
}

/// <summary>When a migration entered a phase.</summary>
public sealed record MigrationPhaseTime([property: JsonConverter(typeof(JsonStringEnumConverter<MigrationPhase>))] MigrationPhase Phase, DateTimeOffset At);

/// <summary>Asks to move a running workload.</summary>
/// <param name="TargetNodeId">Where to; absent: the placement logic picks the best other node.</param>
/// <param name="PreCopy">Copy memory while it still runs first; default true.</param>
public sealed record StartMigrationRequest(Guid? TargetNodeId = null, bool? PreCopy = null);
