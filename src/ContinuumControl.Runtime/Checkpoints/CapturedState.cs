namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// State taken from a paused instance on its own thread: which pages are non-zero, their content, and the manifest
/// fields. For a checkpoint that continues at once the pages are copied (<see cref="PageCopy"/>); for one that stays
/// paused they are read in place from linear memory (<see cref="MemoryBase"/>), which cannot change until the
/// instance resumes, and the instance waits for the writer before it does. Hashing, compression and storing happen
/// off the workload's thread.
/// </summary>
internal sealed unsafe class CapturedState
{
    /// <summary>Non-zero pages packed in index order, or null when pages are read in place.</summary>
    public byte[]? PageCopy { get; init; }

    /// <summary>Start of linear memory 0 when pages are read in place.</summary>
    public nint MemoryBase { get; init; }

    public required long[] PageIndices { get; init; }

    public required Func<IReadOnlyList<CheckpointPage>, CheckpointManifest> BuildManifest { get; init; }

    public ReadOnlySpan<byte> Page(int i) => PageCopy is { } copy
        ? copy.AsSpan(i * CheckpointManifest.PageSize, CheckpointManifest.PageSize)
        : new ReadOnlySpan<byte>((byte*)MemoryBase + PageIndices[i] * CheckpointManifest.PageSize, CheckpointManifest.PageSize);
}
