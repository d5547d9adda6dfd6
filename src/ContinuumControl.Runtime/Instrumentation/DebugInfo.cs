using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Drops the debug information that cannot survive instrumentation. DWARF (<c>.debug_*</c>) and source maps describe
/// code offsets that every rewrite and Asyncify moves, so they would be wrong afterwards; and Binaryen 108 refuses to
/// instrument a module carrying DWARF at all ("DWARF + multivalue is not yet complete"). Debian's wasi-libc and
/// Rust's std bring DWARF into every program linked against them, so this runs on every module. The <c>name</c>
/// section is kept (wasm-opt runs with <c>--debuginfo</c>), so a trap still names the guest function; so are
/// <c>producers</c> and <c>target_features</c>. The stored original keeps everything as uploaded.
/// </summary>
internal static class DebugInfo
{
    private static readonly string[] OffsetBoundSections = ["sourceMappingURL", "external_debug_info"];

    public static void Drop(WasmModuleFile file) =>
        file.Sections.RemoveAll(section => section.Id == WasmSection.Custom && section.CustomName is { } name
            && (name.StartsWith(".debug_", StringComparison.Ordinal) || OffsetBoundSections.Contains(name, StringComparer.Ordinal)));
}
