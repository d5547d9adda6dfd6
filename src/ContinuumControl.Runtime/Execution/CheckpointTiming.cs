namespace ContinuumControl.Runtime.Execution;

/// <summary>Where the time of one checkpoint went.</summary>
/// <param name="ToSafePoint">Request until the workload reached a safe point and unwound.</param>
/// <param name="Capture">Copying memory and globals on the workload's thread (the workload is frozen meanwhile).</param>
/// <param name="Write">Hashing, compressing and storing chunks (after the workload may already continue).</param>
/// <param name="NonZeroPages">Pages captured.</param>
/// <param name="NewChunks">Chunks the store did not have yet.</param>
/// <param name="BytesWritten">Compressed bytes written to the store.</param>
public sealed record CheckpointTiming(TimeSpan ToSafePoint, TimeSpan Capture, TimeSpan Write, int NonZeroPages, int NewChunks, long BytesWritten)
{
    /// <summary>Request until state captured: how long the workload was frozen for a periodic checkpoint.</summary>
    public TimeSpan Pause => ToSafePoint + Capture;
}
