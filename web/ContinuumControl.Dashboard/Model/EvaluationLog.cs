using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>
/// Evaluations as one view knows them, by id: a listing with every later upsert applied, at most <see cref="MaxHeld"/>
/// (the oldest finished ones go first). A replayed, earlier state of an evaluation never replaces a later one. Not
/// thread-safe: used on the renderer's context.
/// </summary>
public sealed class EvaluationLog
{
    public const int MaxHeld = 200;

    private readonly Dictionary<Guid, EvaluationDto> _byId = [];

    public int Count => _byId.Count;

    /// <summary>Every held evaluation, newest first.</summary>
    public IEnumerable<EvaluationDto> Newest =>
        _byId.Values.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id);

    /// <summary>Evaluations the scheduler has not planned yet, newest first.</summary>
    public IEnumerable<EvaluationDto> Pending => Newest.Where(e => e.Status == EvaluationStatus.Pending);

    /// <summary>Evaluations with a plan or a failure, newest first.</summary>
    public IEnumerable<EvaluationDto> Recent => Newest.Where(e => e.Status != EvaluationStatus.Pending);

    /// <summary>Replaces everything with <paramref name="evaluations"/>.</summary>
    public void Load(IEnumerable<EvaluationDto> evaluations)
    {
        _byId.Clear();
        foreach (var evaluation in evaluations)
        {
            Upsert(evaluation);
        }
    }

    /// <summary>Keeps <paramref name="evaluation"/> unless a later state of it is already held; true when it was kept.</summary>
    public bool Upsert(EvaluationDto evaluation)
    {
        if (_byId.TryGetValue(evaluation.Id, out var held) && Rank(evaluation).CompareTo(Rank(held)) < 0)
        {
            return false;
        }

        _byId[evaluation.Id] = evaluation;
        if (_byId.Count > MaxHeld)
        {
            var oldest = _byId.Values.OrderBy(e => e.Status == EvaluationStatus.Pending).ThenBy(e => e.CreatedAt).First();
            _byId.Remove(oldest.Id);
            return oldest.Id != evaluation.Id;
        }

        return true;
    }

    // Status only moves forward: Pending -> Planned -> Applied or Failed; a committed item never goes back to Planned.
    private static (int, int) Rank(EvaluationDto evaluation) => (
        evaluation.Status switch
        {
            EvaluationStatus.Pending => 0,
            EvaluationStatus.Planned => 1,
            _ => 2,
        },
        evaluation.Plan?.Items.Count(i => i.Outcome != PlanOutcome.Planned) ?? -1);
}
