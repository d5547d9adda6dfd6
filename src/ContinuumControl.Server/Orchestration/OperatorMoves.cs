using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Migrations;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// An operator's move — a dashboard drop, the "Move to" form, <c>POST /api/workloads/{id}/migrations</c> with or without
/// a target — is an <see cref="EvaluationTrigger.OperatorMove"/> evaluation like any policy's: the scheduler chooses or
/// checks the target on the full node view (slots, energy, zone, capabilities), the plan applier re-checks it, and the
/// migration coordinator only carries out what was committed. A refusal is the evaluation's own words and per-node
/// rejections, the same in the API, the dashboard and the evaluation history.
/// </summary>
public sealed class OperatorMoves(EvaluationBroker broker, PlanCommitter committer, IDbContextFactory<ControlPlaneDbContext> dbFactory)
{
    /// <summary>Evaluates and commits the move; the migration in its first phase, or a <see cref="RefusalException"/> saying why not.</summary>
    public async Task<MigrationDto> RequestAsync(Guid workloadId, Guid? targetNodeId, bool? preCopy, MigrationTrigger trigger, CancellationToken cancellationToken)
    {
        var (evaluation, name, refusal) = await PrepareAsync(workloadId, targetNodeId, trigger, cancellationToken);
        if (refusal is not null)
        {
            throw Refused(refusal, [], evaluation.Id);
        }
        var record = await broker.EvaluateAsync(evaluation, [], (plan, _, ct) => committer.CommitAsync(plan, new MigrationStart(trigger, preCopy), ct), cancellationToken);
        var outcome = record.Outcomes.FirstOrDefault(o => o.WorkloadId == workloadId);
        if (outcome?.MigrationId is { } migrationId)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return (await db.MigrationDtoAsync(migrationId, cancellationToken))!;
        }
        var planned = record.Plan?.Refusals.FirstOrDefault(r => r.WorkloadId == workloadId);
        throw Refused(planned?.Reason ?? outcome?.Reason ?? $"the scheduler planned no move for {name}", planned?.Candidates ?? [], evaluation.Id);
    }

    /// <summary>The same evaluation as a dry run: where the move would go, or why not. Nothing is committed or kept.</summary>
    public async Task<MoveCheckDto> CheckAsync(Guid workloadId, Guid? targetNodeId, CancellationToken cancellationToken)
    {
        var (evaluation, _, refusal) = await PrepareAsync(workloadId, targetNodeId, MigrationTrigger.Operator, cancellationToken);
        if (refusal is not null)
        {
            return new MoveCheckDto(workloadId, false, null, null, Sentence(refusal), []);
        }
        var plan = await broker.PreviewAsync(evaluation, cancellationToken);
        if (plan.Migrations.FirstOrDefault(m => m.WorkloadId == workloadId) is { } move)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var target = await db.Nodes.AsNoTracking().Where(n => n.Id == move.ToNodeId).Select(n => n.Name).FirstOrDefaultAsync(cancellationToken);
            return new MoveCheckDto(workloadId, true, move.ToNodeId, target, null, []);
        }
        var planned = plan.Refusals.FirstOrDefault(r => r.WorkloadId == workloadId);
        return new MoveCheckDto(workloadId, false, null, null, Sentence(planned?.Reason ?? "the scheduler would plan no move for it"),
            (planned?.Candidates ?? []).Select(c => new CandidateRejectionDto(c.NodeName, c.Filter, c.Reason)).ToList());
    }

    /// <summary>
    /// The evaluation for the request, after what only the database can answer: unknown ids are 404s, and a finished
    /// workload (which the scheduler's snapshot no longer holds) is refused with its state.
    /// </summary>
    private async Task<(Evaluation Evaluation, string Name, string? Refusal)> PrepareAsync(Guid workloadId, Guid? targetNodeId, MigrationTrigger trigger, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workloadId, cancellationToken)
            ?? throw RefusalException.NotFound("Workload", workloadId);
        string? target = null;
        if (targetNodeId is { } nodeId)
        {
            target = await db.Nodes.AsNoTracking().Where(n => n.Id == nodeId).Select(n => n.Name).FirstOrDefaultAsync(cancellationToken)
                ?? throw RefusalException.NotFound("Node", nodeId);
        }
        var by = trigger == MigrationTrigger.Api ? "the API" : "the dashboard";
        var evaluation = new Evaluation(Guid.NewGuid(), EvaluationTrigger.OperatorMove,
            target is null ? $"operator asked through {by} to move {workload.Name}" : $"operator asked through {by} to move {workload.Name} to {target}",
            WorkloadId: workloadId, TargetNodeId: targetNodeId);
        var refusal = workload.IsFinished ? $"{workload.Name} is {workload.State}; only a Running workload can be migrated" : null;
        return (evaluation, workload.Name, refusal);
    }

    // The scheduler's words, which name the workload and the node concerned, as the detail.
    private static RefusalException Refused(string reason, IReadOnlyList<NodeRejection> rejections, Guid evaluationId) =>
        new(StatusCodes.Status409Conflict, "Move refused", Sentence(reason),
            new Dictionary<string, object?> { ["rejections"] = rejections, ["evaluationId"] = evaluationId });

    // Not capitalised: the words often start with a node's or workload's name, which is case-sensitive.
    private static string Sentence(string reason) => $"{reason}.";
}
