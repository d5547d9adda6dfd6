using MudBlazor;

namespace ContinuumControl.Dashboard.Model;

/// <summary>One colour per node and workload state, used by every chip.</summary>
public static class StateColors
{
    public static Color ForNode(string state) => state switch
    {
        "Ready" => Color.Success,
        "Draining" => Color.Warning,
        "Down" => Color.Error,
        _ => Color.Default,
    };

    public static Color ForWorkload(string state) => state switch
    {
        "Pending" => Color.Info,
        "Running" => Color.Primary,
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
        _ => Color.Info,
    };

    /// <summary>True while the workload may still run: Stop makes sense.</summary>
    public static bool IsActive(string state) => state is "Pending" or "Running";
}
