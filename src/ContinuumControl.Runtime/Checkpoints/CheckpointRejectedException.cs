namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>A checkpoint that cannot be restored (corrupt, incomplete, or for another module); nothing was run.</summary>
public sealed class CheckpointRejectedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
