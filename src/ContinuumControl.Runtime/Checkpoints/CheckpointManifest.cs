namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Checkpoint format v1: everything needed to resume a workload, except the memory pages, which are content-addressed
/// chunks in an <see cref="IChunkStore"/>. Contains no native pointers, so it restores on any CPU architecture.
/// See docs/checkpoint-format.md.
/// </summary>
public sealed record CheckpointManifest
{
    public const int CurrentFormatVersion = 1;
    public const int PageSize = 65536;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>SHA-256 (hex) of the instrumented module the state belongs to.</summary>
    public required string ModuleHash { get; init; }

    /// <summary>Version of the instrumentation that produced that module.</summary>
    public required int InstrumentationVersion { get; init; }

    public required string WorkloadName { get; init; }

    /// <summary>1 for a workload's first checkpoint, then counting up, across moves.</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Size of linear memory 0 in 64 KiB pages.</summary>
    public required long MemoryPages { get; init; }

    /// <summary>Non-zero pages in ascending order; a page not listed is all zeros.</summary>
    public required IReadOnlyList<CheckpointPage> Pages { get; init; }

    public required IReadOnlyList<CheckpointGlobal> Globals { get; init; }

    public required AsyncifyState Asyncify { get; init; }

    public required WasiState Wasi { get; init; }

    /// <summary>CPU time the workload used before this checkpoint, counted against its CPU-time limit after restore.</summary>
    public required TimeSpan CpuTimeUsed { get; init; }

    /// <summary>Memory limit the workload ran with; a restore uses it unless told otherwise.</summary>
    public required long MemoryLimitBytes { get; init; }

    /// <summary>CPU-time limit the workload ran with, if any.</summary>
    public TimeSpan? CpuTimeLimit { get; init; }

    /// <summary>The distinct chunk hashes this checkpoint needs (what a target must fetch).</summary>
    public IEnumerable<string> ChunkHashes() => Pages.Select(p => p.Chunk).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// A non-zero memory page, the chunk holding its content and the content's <see cref="PageFingerprint"/> (absent in
/// manifests written before it existed; such pages are checked against their SHA-256 name only).
/// </summary>
public sealed record CheckpointPage(long Index, string Chunk, string? Fingerprint = null);

/// <summary>An exported mutable global: its export name, type (i32, i64, f32, f64) and raw bits (floats keep NaN payloads).</summary>
public sealed record CheckpointGlobal(string Name, string Type, long Bits);

/// <summary>
/// The call stack Asyncify unwound: <see cref="StackBytes"/> bytes of saved frames in <see cref="Stack"/> (base64 in
/// JSON), which the restore puts back at the top of linear memory for the rewind. Manifests written before the stack
/// travelled here have no <see cref="Stack"/>: theirs lies in memory, at <see cref="BufferAddress"/> + 8, in a buffer
/// of <see cref="BufferSize"/> bytes. Current manifests write both as 0.
/// </summary>
public sealed record AsyncifyState(long BufferAddress, long BufferSize, long StackBytes, byte[]? Stack = null);

/// <summary>WASI state: arguments, environment, preopened volumes and how far each output stream has got.</summary>
public sealed record WasiState(
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<CheckpointPreopen> Preopens,
    long StdoutOffset,
    long StderrOffset);

/// <summary>A preopened directory, by volume name (the target node maps the name to its own host path).</summary>
public sealed record CheckpointPreopen(string Volume, string GuestPath);
