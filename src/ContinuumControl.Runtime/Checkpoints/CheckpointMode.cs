namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>What the workload does once its state is captured.</summary>
public enum CheckpointMode
{
    /// <summary>Carry on running right after the capture (periodic checkpoints).</summary>
    Continue,

    /// <summary>Stay paused until <c>Resume()</c> (migration aborted) or <c>Discard()</c> (migration committed elsewhere).</summary>
    Pause,
}
