using MudBlazor;

namespace ContinuumControl.Dashboard.Model;

/// <summary>One colour per node and workload state, used by every chip.</summary>
public static class StateColors
{
    public static Color ForNode(NodeState state) => state switch
    {
        NodeState.Ready => Color.Success,
        NodeState.Draining => Color.Warning,
        NodeState.Cordoned => Color.Secondary,
        NodeState.Down => Color.Error,
        _ => Color.Default,
    };

    public static Color ForWorkload(WorkloadState state) => state switch
    {
        WorkloadState.Pending => Color.Info,
        WorkloadState.Running => Color.Primary,
        WorkloadState.Queued => Color.Tertiary,
        WorkloadState.Suspended => Color.Warning,
        WorkloadState.Completed => Color.Success,
        WorkloadState.Failed => Color.Error,
        WorkloadState.Stopped => Color.Default,
        _ => Color.Default,
    };

    public static Color ForMigration(MigrationPhase phase) => phase switch
    {
        MigrationPhase.Completed => Color.Success,
        MigrationPhase.Aborted => Color.Warning,
        MigrationPhase.Failed => Color.Error,
        MigrationPhase.Superseded => Color.Default,
        _ => Color.Info,
    };

    public static Color ForEvaluation(EvaluationStatus status) => status switch
    {
        EvaluationStatus.Pending => Color.Info,
        EvaluationStatus.Planned => Color.Primary,
        EvaluationStatus.Applied => Color.Success,
        EvaluationStatus.Failed => Color.Error,
        _ => Color.Default,
    };

    public static Color ForPlanOutcome(PlanOutcome outcome) => outcome switch
    {
        PlanOutcome.Committed => Color.Success,
        PlanOutcome.Rejected => Color.Error,
        _ => Color.Info,
    };

    public static Color ForPriority(WorkloadPriority priority) => priority switch
    {
        WorkloadPriority.High => Color.Error,
        WorkloadPriority.Low => Color.Secondary,
        _ => Color.Default,
    };
}
