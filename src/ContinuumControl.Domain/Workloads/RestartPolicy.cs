namespace ContinuumControl.Domain.Workloads;

/// <summary>
/// When a workload whose run ended without finishing is run again (Kubernetes' restartPolicy, Nomad's restart block).
/// Runs lost with their node or agent resume from the last checkpoint (or start over when there is none); runs that
/// failed by themselves start over from the beginning.
/// </summary>
public enum RestartPolicy
{
    /// <summary>Never run again: a lost run or a failure ends the workload as Failed.</summary>
    Never,

    /// <summary>The default: a run lost with its node or agent (crash, restart, reboot, lost network) is recovered; a failure of the workload itself is final.</summary>
    OnNodeLoss,

    /// <summary>As <see cref="OnNodeLoss"/>, and a run that failed (trap, non-zero exit) starts over, up to the attempt limit, after a growing backoff.</summary>
    OnFailure,
}
