namespace ContinuumControl.Runtime.Admission;

/// <summary>
/// The module needs instrumenting (Asyncify, safe points) but Binaryen's <c>wasm-opt</c> is not installed where the
/// runtime was told to look. A node configuration problem rather than a bad upload: modules that were already
/// instrumented still run.
/// </summary>
public sealed class InstrumentationUnavailableException(string configuredPath)
    : ModuleRejectedException(
        $"the module must be instrumented for migration, but wasm-opt (Binaryen) was not found at '{configuredPath}'. " +
        "Install it with `apt-get install binaryen` (Debian/Ubuntu) or set InstrumentationOptions.WasmOptPath " +
        "(configuration key Runtime:WasmOptPath) to the wasm-opt executable. Modules that were already instrumented still run.")
{
    /// <summary>The path or command name that was searched.</summary>
    public string ConfiguredPath { get; } = configuredPath;
}
