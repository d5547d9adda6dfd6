namespace ContinuumControl.Domain.Orchestration;

/// <summary>How far an evaluation has got: Pending -> Planned -> Applied, or Failed.</summary>
public enum EvaluationStatus
{
    /// <summary>Waiting for the broker to run the scheduler.</summary>
    Pending,

    /// <summary>The scheduler produced a plan; the applier has not committed it yet.</summary>
    Planned,

    /// <summary>The applier committed all or part of the plan (see each item's <see cref="PlanOutcome"/>).</summary>
    Applied,

    /// <summary>The evaluation could not be planned or applied (its reason says why).</summary>
    Failed,
}
