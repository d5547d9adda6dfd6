using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Orchestration;
using ContinuumControl.Scheduling;

namespace ContinuumControl.Server.Orchestration;

/// <summary>One evaluation as operators see it: why it was made, what the scheduler planned, and what was committed.</summary>
public sealed class EvaluationRecord(Evaluation evaluation, DateTimeOffset createdAt)
{
    private readonly Lock _gate = new();
    private Plan? _plan;
    private double _computeMs;
    private IReadOnlyList<PlanItemOutcome> _outcomes = [];
    private Dictionary<Guid, string> _nodeNames = [];
    private Dictionary<Guid, string> _workloadNames = [];

    public Evaluation Evaluation { get; } = evaluation;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public EvaluationStatus Status { get; private set; } = EvaluationStatus.Pending;
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? Error { get; private set; }
    public Plan? Plan => _plan;
    public IReadOnlyList<PlanItemOutcome> Outcomes => _outcomes;

    public void Planned(Plan plan, TimeSpan compute, ClusterSnapshot snapshot)
    {
        lock (_gate)
        {
            _plan = plan;
            _computeMs = compute.TotalMilliseconds;
            _nodeNames = snapshot.Nodes.ToDictionary(n => n.Id, n => n.Name);
            _workloadNames = snapshot.Workloads.ToDictionary(w => w.Id, w => w.Name);
            Status = EvaluationStatus.Planned;
        }
    }

    public void Applied(IReadOnlyList<PlanItemOutcome> outcomes, DateTimeOffset now)
    {
        lock (_gate)
        {
            _outcomes = outcomes;
            Status = EvaluationStatus.Applied;
            CompletedAt = now;
        }
    }

    public void Failed(string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            Error = error;
            Status = EvaluationStatus.Failed;
            CompletedAt = now;
        }
    }

    public EvaluationDto ToDto()
    {
        lock (_gate)
        {
            var reason = Error is null ? Evaluation.Reason : $"{Evaluation.Reason} (failed: {Error})";
            return new EvaluationDto(Evaluation.Id, Evaluation.Trigger, Status, reason, Evaluation.NodeId, Evaluation.WorkloadId, CreatedAt, CompletedAt,
                _plan is null ? null : new PlanDto(Items(), Refusals(), _computeMs));
        }
    }

    private List<PlanItemDto> Items()
    {
        var outcomes = _outcomes.ToDictionary(o => o.WorkloadId);
        var items = new List<PlanItemDto>();
        foreach (var p in _plan!.Placements)
        {
            items.Add(Item(p.WorkloadId, null, p.NodeId, p.Score, p.Reason, outcomes.GetValueOrDefault(p.WorkloadId)));
        }
        foreach (var m in _plan.Migrations)
        {
            items.Add(Item(m.WorkloadId, m.FromNodeId, m.ToNodeId, m.Score, m.Reason, outcomes.GetValueOrDefault(m.WorkloadId)));
        }
        return items;
    }

    private PlanItemDto Item(Guid workload, Guid? from, Guid to, double score, string reason, PlanItemOutcome? outcome) =>
        new(workload, _workloadNames.GetValueOrDefault(workload, workload.ToString()), from, to, _nodeNames.GetValueOrDefault(to, to.ToString()), score, reason,
            outcome?.Outcome ?? (Status == EvaluationStatus.Applied ? PlanOutcome.Rejected : PlanOutcome.Planned), outcome?.Reason);

    private List<WorkloadRefusalDto> Refusals() =>
        _plan!.Refusals.Select(r => new WorkloadRefusalDto(r.WorkloadId, _workloadNames.GetValueOrDefault(r.WorkloadId, r.WorkloadId.ToString()), r.Reason,
            r.Candidates.Select(c => new CandidateRejectionDto(c.NodeName, c.Filter, c.Reason)).ToList())).ToList();
}

/// <summary>What became of one plan item: Committed, or Rejected with the reason.</summary>
public sealed record PlanItemOutcome(Guid WorkloadId, PlanOutcome Outcome, string? Reason, Guid? MigrationId = null)
{
    public static PlanItemOutcome Committed(Guid workloadId, string? detail = null, Guid? migrationId = null) => new(workloadId, PlanOutcome.Committed, detail, migrationId);

    public static PlanItemOutcome Rejected(Guid workloadId, string reason) => new(workloadId, PlanOutcome.Rejected, reason);
}
