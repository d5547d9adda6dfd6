namespace ContinuumControl.Dashboard.Model;

/// <summary>Workload states as the API spells them, and which of them are over.</summary>
public static class WorkloadStates
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Queued = "Queued";
    public const string Suspended = "Suspended";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Stopped = "Stopped";

    /// <summary>Every state, unfinished first, in the order filters offer them.</summary>
    public static readonly IReadOnlyList<string> All = [Running, Pending, Queued, Suspended, Completed, Failed, Stopped];

    public static bool IsFinished(string state) => state is Completed or Failed or Stopped;
}
