using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Runs after Asyncify: moves the safe-point flag from a global into word 0 of an extra one-page memory the module
/// exports as <see cref="FlagMemoryExport"/>. A global can only be written through the store, which belongs to the
/// workload's thread; a memory word can be written by any thread through a raw pointer (the page never moves: its
/// minimum equals its maximum), which is how a checkpoint request reaches code that never calls the host. Binaryen
/// 108 cannot read multi-memory modules, hence this last step in C#.
/// </summary>
internal static class FlagMemoryRewriter
{
    public const string FlagMemoryExport = "__continuum_flags";

    /// <summary>i32.const 0; i32.load align=4 (memory 1) offset=0, patched with the real memory index.</summary>
    private static ReadOnlySpan<byte> LoadPrefix => [Instruction.I32Const, 0x00, 0x28, 0x42];

    public static void Apply(WasmModuleFile file)
    {
        var layout = ModuleLayout.Read(file);
        var flagExport = layout.Exports.FirstOrDefault(e => e.Name == SafePointRewriter.FlagExport && e.Kind == 3);
        if (flagExport is null)
        {
            return;
        }
        var memoryIndex = (uint)layout.Memories.Count;
        var code = file.Find(WasmSection.Code)!;
        var bodies = CodeSection.Read(code.Payload);
        var hints = new List<(int Function, List<int> Offsets)>();
        for (var i = 0; i < bodies.Count; i++)
        {
            var (rewritten, ifOffsets) = RewriteBody(bodies[i].Code, flagExport.Index, memoryIndex);
            bodies[i] = bodies[i] with { Code = rewritten };
            if (ifOffsets.Count > 0)
            {
                hints.Add((layout.ImportedFunctionCount + i, ifOffsets.Select(o => o + bodies[i].Locals.Length).ToList()));
            }
        }
        file.Set(WasmSection.Code, CodeSection.Write(bodies));
        BranchHintSection.Write(file, hints);
        AppendFlagMemory(file, layout);
        ExportSection.Append(file, layout, [new WasmExport(FlagMemoryExport, 2, memoryIndex)]);
    }

    /// <summary>Rewrites flag reads and returns the offsets (in the new code) of the <c>if</c> or <c>br_if</c> each read feeds, to hint as unlikely.</summary>
    private static (byte[] Code, List<int> IfOffsets) RewriteBody(byte[] code, uint flagGlobal, uint memoryIndex)
    {
        var output = new WasmWriter();
        var reader = new WasmReader(code);
        var copiedUpTo = 0;
        var ifOffsets = new List<int>();
        var awaitingIf = false;
        while (!reader.AtEnd)
        {
            var current = InstructionDecoder.Next(ref reader);
            if (current.Opcode == Instruction.GlobalGet && current.Immediate == flagGlobal)
            {
                output.Bytes(code.AsSpan(copiedUpTo, current.Start - copiedUpTo));
                output.Bytes(LoadPrefix).U32(memoryIndex).U32(0);
                copiedUpTo = current.End;
                awaitingIf = true;
            }
            else if (awaitingIf && current.Opcode is Instruction.If or 0x0D)
            {
                ifOffsets.Add(output.Length + (current.Start - copiedUpTo));
                awaitingIf = false;
            }
            else if (current.Opcode is Instruction.Loop or 0x02 or Instruction.End_ or 0x05)
            {
                // The if guarding the yield call follows the flag read within the same block; past a block boundary it is not ours.
                awaitingIf = false;
            }
        }
        output.Bytes(code.AsSpan(copiedUpTo));
        return (output.ToArray(), ifOffsets);
    }

    private static void AppendFlagMemory(WasmModuleFile file, ModuleLayout layout)
    {
        var writer = new WasmWriter();
        var old = file.Find(WasmSection.Memory);
        var defined = 0u;
        var rest = ReadOnlySpan<byte>.Empty;
        if (old is not null)
        {
            var r = new WasmReader(old.Payload);
            defined = r.ReadU32();
            rest = old.Payload.AsSpan(r.Position);
        }
        writer.U32(defined + 1).Bytes(rest).Byte(0x01).U32(1).U32(1);
        file.Set(WasmSection.Memory, writer.ToArray());
        layout.Memories.Add(new WasmMemory(1, 1, false, false));
    }
}
