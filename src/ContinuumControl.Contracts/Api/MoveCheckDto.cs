namespace ContinuumControl.Contracts.Api;

/// <summary>
/// What the scheduler would decide for a move asked now (a dry-run OperatorMove evaluation; nothing is committed): the
/// node it would go to, or why not with every candidate's rejection. A real request may still be refused when the
/// cluster changes in between.
/// </summary>
/// <param name="Allowed">True when the move would be committed.</param>
/// <param name="TargetNodeId">Where it would go: the requested node, or the scheduler's pick when none was requested.</param>
/// <param name="Refusal">Why not, in a sentence (null when allowed): the same words a real request would be refused with.</param>
/// <param name="Rejections">Each candidate node's rejection: the filter that refused it and its words.</param>
public sealed record MoveCheckDto(
    Guid WorkloadId,
    bool Allowed,
    Guid? TargetNodeId,
    string? TargetNodeName,
    string? Refusal,
    IReadOnlyList<CandidateRejectionDto> Rejections);
