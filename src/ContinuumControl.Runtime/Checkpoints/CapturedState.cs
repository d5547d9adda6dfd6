namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// State copied out of a paused instance on its own thread: the non-zero pages (packed into one buffer, in index
/// order) and the manifest fields. Hashing, compression and storing happen afterwards, off the workload's thread.
/// </summary>
internal sealed class CapturedState
{
    public required byte[] PageData { get; init; }
    public required long[] PageIndices { get; init; }
    public required Func<IReadOnlyList<CheckpointPage>, CheckpointManifest> BuildManifest { get; init; }

    public ReadOnlyMemory<byte> Page(int i) => PageData.AsMemory(i * CheckpointManifest.PageSize, CheckpointManifest.PageSize);
}
