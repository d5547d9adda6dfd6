namespace ContinuumControl.Dashboard.Model;

/// <summary>Who asked for a migration, as the API spells it.</summary>
public static class MigrationTriggers
{
    public const string Operator = "Operator";
    public const string Api = "Api";
    public const string Drain = "Drain";
    public const string Policy = "Policy";
    public const string Rebalance = "Rebalance";
    public const string Offload = "Offload";
    public const string EnergyLow = "EnergyLow";

    /// <summary>The triggers of migrations the control plane started on its own (a drain or a policy), in display order.</summary>
    public static readonly IReadOnlyList<string> PolicyDriven = [Drain, Policy, Rebalance, Offload, EnergyLow];

    /// <summary>True for a migration no person asked for directly (not a dashboard drop or an API call).</summary>
    public static bool IsPolicyDriven(string trigger) => PolicyDriven.Contains(trigger);
}
