using MudBlazor;

namespace ContinuumControl.Dashboard.Model;

/// <summary>One colour per node and workload state, used by every chip.</summary>
public static class StateColors
{
    public static Color ForNode(string state) => state switch
    {
        "Ready" => Color.Success,
        "Draining" => Color.Warning,
        "Cordoned" => Color.Secondary,
        "Down" => Color.Error,
        _ => Color.Default,
    };

    public static Color ForWorkload(string state) => state switch
    {
        "Pending" => Color.Info,
        "Running" => Color.Primary,
        "Queued" => Color.Tertiary,
        "Suspended" => Color.Warning,
        "Completed" => Color.Success,
        "Failed" => Color.Error,
        "Stopped" => Color.Default,
        _ => Color.Default,
    };

    public static Color ForMigration(string phase) => phase switch
    {
        "Completed" => Color.Success,
        "Aborted" => Color.Warning,
        "Failed" => Color.Error,
        "Superseded" => Color.Default,
        _ => Color.Info,
    };

    /// <summary>An evaluation's status: Pending, Planned, Applied or Failed.</summary>
    public static Color ForEvaluation(string status) => status switch
    {
        "Pending" => Color.Info,
        "Planned" => Color.Primary,
        "Applied" => Color.Success,
        "Failed" => Color.Error,
        _ => Color.Default,
    };

    /// <summary>A plan item's outcome: Planned, Committed or Rejected.</summary>
    public static Color ForPlanOutcome(string outcome) => outcome switch
    {
        "Committed" => Color.Success,
        "Rejected" => Color.Error,
        _ => Color.Info,
    };

    public static Color ForPriority(string priority) => priority switch
    {
        WorkloadPriorities.High => Color.Error,
        WorkloadPriorities.Low => Color.Secondary,
        _ => Color.Default,
    };

    /// <summary>True while the workload may still run (placed, queued, running or suspended): Stop makes sense.</summary>
    public static bool IsActive(string state) => state is "Pending" or "Running" or "Queued" or "Suspended";
}
