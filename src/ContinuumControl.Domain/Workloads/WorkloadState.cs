namespace ContinuumControl.Domain.Workloads;

/// <summary>Lifecycle of a workload.</summary>
public enum WorkloadState
{
    /// <summary>Placed, waiting for its agent to start it.</summary>
    Pending,
    Running,
    Completed,
    Failed,

    /// <summary>Stopped on request before it finished.</summary>
    Stopped,
}
