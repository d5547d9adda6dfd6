using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Folds a start function into <c>_start</c>. Wasmtime runs a start function inside instantiation, before the runtime
/// holds the instance and its safe-point flag, so a start function that loops could neither be stopped nor captured.
/// Afterwards <c>_start</c> names a new function that calls the old start function and then the old <c>_start</c>;
/// both run as ordinary guest code with safe points, and Asyncify rewinds through the new function like any other.
/// The new function is appended, so no existing function index moves.
/// </summary>
internal static class StartFunctionRewriter
{
    private const byte Call = 0x10;

    /// <summary>Rewrites <paramref name="file"/> in place; read its layout again afterwards (one function more).</summary>
    public static void Apply(WasmModuleFile file, ModuleLayout layout)
    {
        var startSection = file.Find(WasmSection.Start);
        if (startSection is null)
        {
            return;
        }
        var startFunction = new WasmReader(startSection.Payload).ReadU32();
        var entry = layout.Exports.First(e => e.Name == "_start" && e.Kind == 0);
        var type = SafePointRewriter.EnsureEmptyFunctionType(file, layout);
        var folded = (uint)(layout.ImportedFunctionCount + layout.DefinedFunctionCount);

        AppendFunctionType(file, type);
        var code = file.Find(WasmSection.Code);
        var bodies = code is null ? [] : CodeSection.Read(code.Payload);
        bodies.Add(new FunctionBody([0], new WasmWriter().Byte(Call).U32(startFunction).Byte(Call).U32(entry.Index).Byte(Instruction.End_).ToArray()));
        file.Set(WasmSection.Code, CodeSection.Write(bodies));

        var exports = layout.Exports.Select(e => e == entry ? e with { Index = folded } : e).ToList();
        layout.Exports.Clear();
        ExportSection.Append(file, layout, exports);
        file.Sections.Remove(startSection);
    }

    private static void AppendFunctionType(WasmModuleFile file, uint type)
    {
        var writer = new WasmWriter();
        var old = file.Find(WasmSection.Function);
        if (old is null)
        {
            writer.U32(1);
        }
        else
        {
            var reader = new WasmReader(old.Payload);
            writer.U32(reader.ReadU32() + 1).Bytes(old.Payload.AsSpan(reader.Position));
        }
        file.Set(WasmSection.Function, writer.U32(type).ToArray());
    }
}
