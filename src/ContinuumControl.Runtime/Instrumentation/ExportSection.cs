using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>Rewrites the export section with extra entries appended (export order carries no meaning).</summary>
internal static class ExportSection
{
    public static void Append(WasmModuleFile file, ModuleLayout layout, IReadOnlyList<WasmExport> added)
    {
        var writer = new WasmWriter().U32((uint)(layout.Exports.Count + added.Count));
        foreach (var export in layout.Exports.Concat(added))
        {
            writer.Name(export.Name).Byte(export.Kind).U32(export.Index);
        }
        file.Set(WasmSection.Export, writer.ToArray());
        layout.Exports.AddRange(added);
    }
}
