using ContinuumControl.Scheduling;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Orchestration.Policies;

/// <summary>Words for what a set of evaluations did, for a policy's last result.</summary>
public static class EvaluationSummary
{
    public static string Of(IReadOnlyCollection<EvaluationRecord> all, string nothing)
    {
        var records = all.Where(r => r.Error is not null || r.Plan is { } p && p.Placements.Count + p.Migrations.Count + p.Refusals.Count > 0).ToList();
        if (records.Count == 0)
        {
            return nothing;
        }
        var committed = records.Sum(r => r.Outcomes.Count(o => o.Outcome == PlanOutcome.Committed));
        var rejected = records.Sum(r => r.Outcomes.Count(o => o.Outcome != PlanOutcome.Committed));
        var refused = records.Sum(r => r.Plan?.Refusals.Count ?? 0);
        var parts = new List<string> { $"{records.Count} evaluation(s): {committed} move(s) committed" };
        if (rejected > 0)
        {
            parts.Add($"{rejected} rejected at commit");
        }
        if (refused > 0)
        {
            var first = records.SelectMany(r => r.Plan?.Refusals ?? []).First();
            parts.Add($"{refused} could not move (e.g. {first.Reason})");
        }
        return string.Join("; ", parts);
    }

    public static Evaluation New(EvaluationTrigger trigger, string reason, Guid? nodeId = null, Guid? workloadId = null, Guid? target = null) =>
        new(Guid.NewGuid(), trigger, reason, nodeId, workloadId, target);
}
