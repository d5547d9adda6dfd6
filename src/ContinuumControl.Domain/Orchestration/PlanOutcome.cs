namespace ContinuumControl.Domain.Orchestration;

/// <summary>What became of one plan item.</summary>
public enum PlanOutcome
{
    /// <summary>Proposed by the scheduler, not applied yet.</summary>
    Planned,

    /// <summary>Re-checked against the current cluster and committed.</summary>
    Committed,

    /// <summary>Refused when re-checked (its reason says why), or left out when the rest of the plan was applied.</summary>
    Rejected,
}
