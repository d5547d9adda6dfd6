using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Turns the calls Binaryen's <c>--log-execution</c> pass inserted (function entries, loop headers, returns) into
/// automatic safe points. Binaryen does the index bookkeeping of adding an import; this pass then renames that
/// import to <c>continuum.yield</c>, keeps only the calls at function entries and loop headers, and guards each with
/// an inline check of a flag global (see <see cref="LoopSafePointEmitter"/> for the shape). The host never sees a
/// call unless the flag is set. After Asyncify, <see cref="FlagMemoryRewriter"/> moves the flag into a memory word
/// the host can set from another thread.
/// </summary>
internal static class SafePointRewriter
{
    public const string FlagExport = "__continuum_safepoint";

    /// <summary>What the inserted checks call in a module without yields of its own: any safe point will do.</summary>
    public const string YieldImport = "yield";

    /// <summary>
    /// What the inserted checks call in a module that yields itself: the host takes a checkpoint there only when the
    /// guest has not yielded for a while, and stops or enforces limits there at once.
    /// </summary>
    public const string CheckImport = "check";

    public static void Apply(WasmModuleFile file, string importName = YieldImport)
    {
        var layout = ModuleLayout.Read(file);
        var logIndex = FunctionImportIndex(layout, "env", "log_execution")
            ?? throw new InvalidOperationException("wasm-opt --log-execution added no env.log_execution import");
        var yieldType = EnsureEmptyFunctionType(file, layout);
        RewriteImport(file, "env", "log_execution", yieldType, importName);
        var flag = AppendFlagGlobal(file, layout);
        ExportSection.Append(file, layout, [new WasmExport(FlagExport, 3, flag)]);

        var code = file.Find(WasmSection.Code) ?? throw new ModuleRejectedException("the module has no code section");
        var outlined = new OutlinedFunctions(layout, OutlinedFunctions.ReadFunctionTypes(file), flag);
        var bodies = CodeSection.Read(code.Payload).Select((b, i) => RewriteBody(b, outlined.LocalTypes(i, b), logIndex, flag, outlined)).ToList();
        outlined.AppendTo(file, bodies);
        file.Set(WasmSection.Code, CodeSection.Write(bodies));
    }

    internal static uint? FunctionImportIndex(ModuleLayout layout, string module, string name)
    {
        uint index = 0;
        foreach (var import in layout.Imports.Where(i => i.Kind == 0))
        {
            if (import.Module == module && import.Name == name)
            {
                return index;
            }
            index++;
        }
        return null;
    }

    private static FunctionBody RewriteBody(FunctionBody body, List<byte> localTypes, uint logIndex, uint flag, OutlinedFunctions outlined)
    {
        // A function that calls nothing and has no loop runs in bounded time: its entry needs no safe point, and
        // leaving it out keeps Asyncify from instrumenting it (Asyncify only touches what can reach the yield).
        var callsOthers = CallsOtherFunctions(body.Code, logIndex);
        var emitter = new LoopSafePointEmitter(body.Code, logIndex, flag, callsOthers, outlined, localTypes);
        var code = emitter.Emit();
        return new FunctionBody(emitter.UsesStatusLocal ? WithOneMoreI32(body.Locals) : body.Locals, code);
    }

    /// <summary>The local declarations with one i32 appended (the outlined loops' status local).</summary>
    private static byte[] WithOneMoreI32(byte[] locals)
    {
        var reader = new WasmReader(locals);
        var groups = reader.ReadU32();
        return new WasmWriter().U32(groups + 1).Bytes(locals.AsSpan(reader.Position)).U32(1).Byte(0x7F).ToArray();
    }

    private static bool CallsOtherFunctions(byte[] code, uint logIndex)
    {
        var reader = new WasmReader(code);
        while (!reader.AtEnd)
        {
            var instruction = InstructionDecoder.Next(ref reader);
            if (instruction.Opcode is 0x11 or 0x13 || (instruction.Opcode is Instruction.Call or 0x12 && instruction.Immediate != logIndex))
            {
                return true;
            }
        }
        return false;
    }

    internal static uint EnsureEmptyFunctionType(WasmModuleFile file, ModuleLayout layout)
    {
        var existing = layout.Types.FindIndex(t => t.Params.Length == 0 && t.Results.Length == 0);
        if (existing >= 0)
        {
            return (uint)existing;
        }
        var writer = new WasmWriter().U32((uint)layout.Types.Count + 1);
        var old = file.Find(WasmSection.Type);
        if (old is not null)
        {
            var r = new WasmReader(old.Payload);
            r.ReadU32();
            writer.Bytes(old.Payload.AsSpan(r.Position));
        }
        writer.Byte(0x60).U32(0).U32(0);
        file.Set(WasmSection.Type, writer.ToArray());
        layout.Types.Add(new WasmFuncType([], []));
        return (uint)layout.Types.Count - 1;
    }

    private static void RewriteImport(WasmModuleFile file, string module, string name, uint typeIndex, string importName)
    {
        var section = file.Find(WasmSection.Import)!;
        var r = new WasmReader(section.Payload);
        var count = r.ReadU32();
        var writer = new WasmWriter().U32(count);
        for (var i = 0; i < count; i++)
        {
            var m = r.ReadName();
            var n = r.ReadName();
            var descStart = r.Position;
            var kind = r.ReadByte();
            SkipImportDescription(ref r, kind);
            if (kind == 0 && m == module && n == name)
            {
                writer.Name(HostCapabilities.Continuum).Name(importName).Byte(0).U32(typeIndex);
            }
            else
            {
                writer.Name(m).Name(n).Bytes(section.Payload.AsSpan(descStart, r.Position - descStart));
            }
        }
        file.Set(WasmSection.Import, writer.ToArray());
    }

    private static void SkipImportDescription(ref WasmReader r, byte kind)
    {
        switch (kind)
        {
            case 0:
                r.ReadU32();
                break;
            case 1:
                r.ReadByte();
                SkipLimits(ref r);
                break;
            case 2:
                SkipLimits(ref r);
                break;
            case 3:
                r.ReadByte();
                r.ReadByte();
                break;
            default:
                throw new ModuleRejectedException($"the module has an import of unsupported kind {kind}");
        }
    }

    private static void SkipLimits(ref WasmReader r)
    {
        var flags = r.ReadByte();
        r.ReadU64();
        if ((flags & 1) != 0)
        {
            r.ReadU64();
        }
    }

    private static uint AppendFlagGlobal(WasmModuleFile file, ModuleLayout layout)
    {
        var writer = new WasmWriter();
        var old = file.Find(WasmSection.Global);
        var definedCount = layout.Globals.Count(g => !g.Imported);
        writer.U32((uint)definedCount + 1);
        if (old is not null)
        {
            var r = new WasmReader(old.Payload);
            r.ReadU32();
            writer.Bytes(old.Payload.AsSpan(r.Position));
        }
        writer.Byte(0x7F).Byte(1).Byte(Instruction.I32Const).S32(0).Byte(Instruction.End_);
        file.Set(WasmSection.Global, writer.ToArray());
        layout.Globals.Add(new WasmGlobal(0x7F, true, false));
        return (uint)layout.Globals.Count - 1;
    }
}
