namespace ContinuumControl.Agent.Scheduling;

/// <summary>The local scheduler's settings (section Agent:Scheduler; the slot count is Agent:Slots).</summary>
public sealed class LocalSchedulerOptions
{
    /// <summary>A workload queued this long makes the agent ask the control plane to offload it (once); 0: never.</summary>
    public int OffloadAfterMs { get; set; } = 10_000;
}
