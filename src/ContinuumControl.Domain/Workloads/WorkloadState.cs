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

    /// <summary>Admitted by its node's local scheduler, waiting in the run queue for a slot.</summary>
    Queued,

    /// <summary>Preempted by a higher-priority workload on its node; paused at a safe point until a slot frees.</summary>
    Suspended,
}

/// <summary>What a <see cref="WorkloadState"/> means: the one definition of a finished workload.</summary>
public static class WorkloadStateExtensions
{
    extension(WorkloadState state)
    {
        /// <summary>Completed, Failed or Stopped: it will not run again and nothing about it changes any more.</summary>
        public bool IsFinished => state is WorkloadState.Completed or WorkloadState.Failed or WorkloadState.Stopped;
    }
}
