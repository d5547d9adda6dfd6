namespace ContinuumControl.Server.Telemetry;

/// <summary>
/// The control plane's meters and activity sources, one per area; each area's meter and source share its name. The
/// instruments themselves live with the code they measure (<c>*Telemetry</c> in each folder).
/// </summary>
public static class MeterNames
{
    public const string Migrations = "ContinuumControl.Server.Migrations";
    public const string Orchestration = "ContinuumControl.Server.Orchestration";
    public const string Agents = "ContinuumControl.Server.Agents";
    public const string Workloads = "ContinuumControl.Server.Workloads";

    public static readonly IReadOnlyList<string> All = [Migrations, Orchestration, Agents, Workloads];
}
