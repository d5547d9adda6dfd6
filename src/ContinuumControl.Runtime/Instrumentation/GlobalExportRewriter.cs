using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Exports memory 0 as <see cref="MemoryExport"/> and every mutable global the module defines under <see cref="ExportPrefix"/> + its index, so a checkpoint can
/// read and restore them (Wasm gives the host no other way to reach private globals). Binaryen 108 has no pass for this.
/// </summary>
internal static class GlobalExportRewriter
{
    public const string ExportPrefix = "__continuum_g";
    public const string MemoryExport = "__continuum_memory";

    public static void Apply(WasmModuleFile file, ModuleLayout layout)
    {
        var taken = layout.Exports.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var added = new List<WasmExport>();
        for (var index = 0; index < layout.Globals.Count; index++)
        {
            var global = layout.Globals[index];
            var name = ExportPrefix + index;
            if (global.Mutable && !global.Imported && !taken.Contains(name))
            {
                added.Add(new WasmExport(name, 3, (uint)index));
            }
        }
        if (!taken.Contains(MemoryExport))
        {
            added.Add(new WasmExport(MemoryExport, 2, 0));
        }
        ExportSection.Append(file, layout, added);
    }
}
