using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>An innermost loop that can move into a function of its own: where its body lies and which locals it uses.</summary>
/// <param name="BodyStart">First instruction after the loop header (and its log call).</param>
/// <param name="BodyEnd">Position of the loop's own <c>end</c>.</param>
/// <param name="After">Position after that <c>end</c>.</param>
/// <param name="Locals">Every local the body reads or writes, in index order: the outlined function's parameters.</param>
/// <param name="Written">The locals it writes, in index order: returned to the caller.</param>
internal sealed record OutlinableLoop(int BodyStart, int BodyEnd, int After, IReadOnlyList<uint> Locals, IReadOnlyList<uint> Written);

/// <summary>
/// Finds loops worth outlining. Asyncify instruments every function that can reach <c>continuum.yield</c>, and in such
/// a function Cranelift keeps even the innermost loop's induction variable in a stack slot (matmul's inner loop:
/// reloaded four times per iteration, 1.75x slower; see docs/benchmarks.md). A loop that calls nothing, holds no
/// other loop, returns nowhere and branches only to its own labels can run in a function Asyncify never touches: it
/// checks the flag at its header and, when set, returns its locals and a status instead of yielding itself; the
/// instrumented caller then yields and calls it again, so the loop continues at the same header.
/// </summary>
internal static class LoopOutlineAnalysis
{
    private const byte Block = 0x02, Else = 0x05, Br = 0x0C, BrIf = 0x0D, BrTable = 0x0E, Return = 0x0F;
    private const byte CallIndirect = 0x11, ReturnCall = 0x12, ReturnCallIndirect = 0x13, CallRef = 0x14, ReturnCallRef = 0x15;
    private const byte LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22;

    public static OutlinableLoop? Analyse(byte[] code, int bodyStart)
    {
        var reader = new WasmReader(code) { Position = bodyStart };
        var depth = 0u;
        var locals = new SortedSet<uint>();
        var written = new SortedSet<uint>();
        while (!reader.AtEnd)
        {
            var instruction = InstructionDecoder.Next(ref reader);
            switch (instruction.Opcode)
            {
                case Block or Instruction.If:
                    depth++;
                    break;
                case Instruction.End_ when depth == 0:
                    return new OutlinableLoop(bodyStart, instruction.Start, instruction.End, [.. locals], [.. written]);
                case Instruction.End_:
                    depth--;
                    break;
                case Else:
                    break;
                case Br or BrIf when instruction.Immediate > depth:
                    return null;
                case BrTable when !TargetsWithin(code, instruction, depth):
                    return null;
                case Instruction.Loop or Return or Instruction.Call or CallIndirect or ReturnCall or ReturnCallIndirect or CallRef or ReturnCallRef:
                    return null;
                case LocalGet:
                    locals.Add((uint)instruction.Immediate);
                    break;
                case LocalSet or LocalTee:
                    locals.Add((uint)instruction.Immediate);
                    written.Add((uint)instruction.Immediate);
                    break;
            }
        }
        return null;
    }

    private static bool TargetsWithin(byte[] code, Instruction instruction, uint depth)
    {
        var reader = new WasmReader(code) { Position = instruction.Start + 1 };
        for (var n = reader.ReadU32() + 1; n > 0; n--)
        {
            if (reader.ReadU32() > depth)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// The functions outlined from a module's loops (see <see cref="LoopOutlineAnalysis"/>), appended after its own:
/// <code>
/// (func (param every local the loop uses) (result the locals it writes, i32 status)
///   loop $L
///     global.get $flag  if  (locals it writes) i32.const 1  return  end
///     ...loop body, locals renumbered...
///   end
///   (locals it writes) i32.const 0)
/// </code>
/// </summary>
internal sealed class OutlinedFunctions(ModuleLayout layout, uint[] functionTypes, uint flag)
{
    private readonly List<(WasmFuncType Type, byte[] Code)> added = [];

    public int Count => added.Count;

    /// <summary>The value types of a defined function's locals: its parameters, then its declared locals.</summary>
    public List<byte> LocalTypes(int definedIndex, FunctionBody body)
    {
        var types = new List<byte>(layout.Types[(int)functionTypes[definedIndex]].Params);
        var reader = new WasmReader(body.Locals);
        for (var groups = reader.ReadU32(); groups > 0; groups--)
        {
            var count = reader.ReadU32();
            var type = reader.ReadByte();
            types.AddRange(Enumerable.Repeat(type, (int)count));
        }
        return types;
    }

    /// <summary>Makes a function of <paramref name="loop"/>'s body; returns its function index.</summary>
    public uint Add(byte[] code, OutlinableLoop loop, IReadOnlyList<byte> localTypes)
    {
        var parameter = loop.Locals.Select((local, i) => (local, i)).ToDictionary(x => x.local, x => (uint)x.i);
        var output = new WasmWriter();
        output.Byte(Instruction.Loop).Byte(0x40);
        output.Byte(Instruction.GlobalGet).U32(flag).Byte(Instruction.If).Byte(0x40);
        PushWritten(output, loop, parameter).Byte(Instruction.I32Const).S32(1).Byte(0x0F);
        output.Byte(Instruction.End_);
        var reader = new WasmReader(code) { Position = loop.BodyStart };
        while (reader.Position < loop.BodyEnd)
        {
            var instruction = InstructionDecoder.Next(ref reader);
            if (instruction.Opcode is 0x20 or 0x21 or 0x22)
            {
                output.Byte(instruction.Opcode).U32(parameter[(uint)instruction.Immediate]);
            }
            else
            {
                output.Bytes(code.AsSpan(instruction.Start, instruction.End - instruction.Start));
            }
        }
        output.Byte(Instruction.End_);
        PushWritten(output, loop, parameter).Byte(Instruction.I32Const).S32(0).Byte(Instruction.End_);
        var type = new WasmFuncType([.. loop.Locals.Select(l => localTypes[(int)l])], [.. loop.Written.Select(l => localTypes[(int)l]), 0x7F]);
        added.Add((type, output.ToArray()));
        return (uint)(layout.ImportedFunctionCount + layout.DefinedFunctionCount + added.Count - 1);
    }

    private static WasmWriter PushWritten(WasmWriter output, OutlinableLoop loop, Dictionary<uint, uint> parameter)
    {
        foreach (var local in loop.Written)
        {
            output.Byte(0x20).U32(parameter[local]);
        }
        return output;
    }

    /// <summary>Appends the outlined functions' types, declarations and bodies to the module.</summary>
    public void AppendTo(WasmModuleFile file, List<FunctionBody> bodies)
    {
        if (added.Count == 0)
        {
            return;
        }
        var newTypes = new List<WasmFuncType>();
        var typeIndices = new List<uint>();
        foreach (var (type, code) in added)
        {
            var existing = layout.Types.Concat(newTypes).ToList().FindIndex(t => t.Params.AsSpan().SequenceEqual(type.Params) && t.Results.AsSpan().SequenceEqual(type.Results));
            if (existing < 0)
            {
                newTypes.Add(type);
                existing = layout.Types.Count + newTypes.Count - 1;
            }
            typeIndices.Add((uint)existing);
            bodies.Add(new FunctionBody([0x00], code));
        }
        var types = new WasmWriter().U32((uint)(layout.Types.Count + newTypes.Count));
        types.Bytes(AfterCount(file.Find(WasmSection.Type)!.Payload));
        foreach (var type in newTypes)
        {
            types.Byte(0x60).U32((uint)type.Params.Length).Bytes(type.Params).U32((uint)type.Results.Length).Bytes(type.Results);
        }
        file.Set(WasmSection.Type, types.ToArray());
        layout.Types.AddRange(newTypes);
        var functions = new WasmWriter().U32((uint)(functionTypes.Length + typeIndices.Count));
        foreach (var index in functionTypes.Concat(typeIndices))
        {
            functions.U32(index);
        }
        file.Set(WasmSection.Function, functions.ToArray());
    }

    /// <summary>Reads the function section: each defined function's type index.</summary>
    public static uint[] ReadFunctionTypes(WasmModuleFile file)
    {
        var section = file.Find(WasmSection.Function);
        if (section is null)
        {
            return [];
        }
        var reader = new WasmReader(section.Payload);
        var types = new uint[reader.ReadU32()];
        for (var i = 0; i < types.Length; i++)
        {
            types[i] = reader.ReadU32();
        }
        return types;
    }

    private static ReadOnlySpan<byte> AfterCount(byte[] payload)
    {
        var reader = new WasmReader(payload);
        reader.ReadU32();
        return payload.AsSpan(reader.Position);
    }
}
