namespace ContinuumControl.Agent.Scheduling;

/// <summary>The local scheduler's priority classes; a higher class may preempt a lower one at a safe point.</summary>
public enum WorkloadPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}

public static class WorkloadPriorities
{
    /// <summary>"Low", "Normal" or "High" (any case); anything else (an older server sends nothing) is Normal.</summary>
    public static WorkloadPriority Parse(string? value) =>
        Enum.TryParse<WorkloadPriority>(value, ignoreCase: true, out var priority) && Enum.IsDefined(priority) ? priority : WorkloadPriority.Normal;
}
