namespace ContinuumControl.Runtime.Execution;

/// <summary>Where a <see cref="WorkloadInstance"/> is in its life.</summary>
public enum WorkloadInstanceState
{
    /// <summary>Compiled (and, for a restore, verified) but <c>Run</c> not yet called.</summary>
    Created,
    Running,

    /// <summary>Stopped at a safe point after a <see cref="Checkpoints.CheckpointMode.Pause"/> checkpoint, waiting for Resume or Discard.</summary>
    Paused,
    Ended,
}
