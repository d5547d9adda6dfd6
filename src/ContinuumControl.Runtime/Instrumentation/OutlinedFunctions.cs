using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

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
