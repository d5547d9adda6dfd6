namespace ContinuumControl.Dashboard.Model;

/// <summary>Workload priority classes as the API spells them; a node's local scheduler runs higher ones first and preempts lower ones.</summary>
public static class WorkloadPriorities
{
    public const string Low = "Low";
    public const string Normal = "Normal";
    public const string High = "High";

    /// <summary>Lowest first, as the deploy form offers them.</summary>
    public static readonly IReadOnlyList<string> All = [Low, Normal, High];
}
