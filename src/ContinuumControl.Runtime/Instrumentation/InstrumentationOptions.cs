namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>Where to find Binaryen and where to keep instrumented modules.</summary>
public sealed record InstrumentationOptions
{
    /// <summary>The wasm-opt executable: a path, or a command name looked up on PATH. Configuration key Runtime:WasmOptPath.</summary>
    public string WasmOptPath { get; init; } = "wasm-opt";

    /// <summary>Directory for instrumented modules keyed by the source module's hash; null disables the cache.</summary>
    public string? CacheDirectory { get; init; }
}
