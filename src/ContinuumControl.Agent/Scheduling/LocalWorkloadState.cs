namespace ContinuumControl.Agent.Scheduling;

/// <summary>Where a workload stands in its node's local scheduler.</summary>
public enum LocalWorkloadState
{
    /// <summary>Admitted, waiting for a slot (or memory); it has not run yet.</summary>
    Queued,

    /// <summary>Holds a slot.</summary>
    Running,

    /// <summary>Paused at a safe point (preempted, or the energy store is low); keeps its memory and resumes here.</summary>
    Suspended,
}
