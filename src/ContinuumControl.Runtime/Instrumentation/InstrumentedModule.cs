namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>A module ready to run and to checkpoint.</summary>
/// <param name="SourceHash">SHA-256 (hex) of the module as uploaded.</param>
/// <param name="Hash">SHA-256 (hex) of the instrumented bytes; checkpoints name this hash.</param>
/// <param name="Bytes">The instrumented module.</param>
/// <param name="SafePoints">Cooperative (the guest yields) or automatic (inserted flag checks).</param>
/// <param name="FromCache">True when the instrumented form came from the cache (or the upload was already instrumented).</param>
public sealed record InstrumentedModule(string SourceHash, string Hash, byte[] Bytes, SafePointKind SafePoints, bool FromCache);
