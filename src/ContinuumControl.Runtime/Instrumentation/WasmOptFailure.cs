using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Turns a wasm-opt failure into a refusal a user can act on: which feature is the likely cause and what to build
/// instead, followed by the tool's own first line. Admission checks the features it knows it cannot take before
/// wasm-opt runs (see <see cref="CompatibilityCheck"/>), so reaching this means Binaryen 108 met something newer.
/// </summary>
internal static class WasmOptFailure
{
    private const string Supported = "MVP, sign-extension, mutable globals, non-trapping float-to-int, bulk memory, SIMD (128-bit) and multi-value";

    private static readonly (string Clue, string Feature, string Remedy)[] Known =
    [
        ("DWARF", "DWARF debug information", "strip it (wasm-strip, or link with -Wl,--strip-debug) and upload again"),
        ("tail call", "tail calls (return_call)", "build without -mtail-call"),
        ("exception", "exception handling", "build C++ with -fno-exceptions instead of -fwasm-exceptions"),
        ("SIMD prefix", "a SIMD extension newer than 128-bit SIMD (e.g. relaxed SIMD)", "build without -mrelaxed-simd"),
        ("global init", "extended constant expressions (extended-const)", "build without -mextended-const"),
        ("reference", "reference types", "build with -mno-reference-types"),
        ("memory64", "64-bit memory (memory64)", "build for wasm32 instead of wasm64"),
    ];

    public static ModuleRejectedException Explain(IEnumerable<string> passes, int exitCode, string stderr)
    {
        var toolLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
            ?? $"exit code {exitCode}";
        var step = passes.Contains("--log-execution") ? "inserting safe points" : "running Asyncify";
        var known = Known.FirstOrDefault(k => toolLine.Contains(k.Clue, StringComparison.OrdinalIgnoreCase));
        var cause = known.Feature is null
            ? $"it most likely uses a WebAssembly feature the instrumenter (Binaryen 108) does not support; it supports {Supported}. " +
              "Rebuild for plain wasm32-wasi without extra -m feature flags (e.g. no -mtail-call, -mrelaxed-simd, -fwasm-exceptions); if the module is plain wasm32-wasi, report it together with the module"
            : $"it uses {known.Feature}, which the instrumenter (Binaryen 108) cannot take: {known.Remedy}";
        return new ModuleRejectedException($"the module cannot be made migratable: wasm-opt failed while {step}; {cause}. (wasm-opt said: {toolLine})");
    }
}
