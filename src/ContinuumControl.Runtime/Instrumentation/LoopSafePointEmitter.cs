using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Re-emits one function body with its safe points. A loop header gets a check whose call sits outside the loop:
/// <code>
/// block $exit  loop $restart  block $slow  loop $L
///     global.get $flag  br_if $slow          ;; the whole cost per iteration: a load and a branch
///     ...original body...
/// end  br $exit  end($slow)  call $yield  br $restart  end end
/// </code>
/// Keeping the call out of the loop matters twice over: Cranelift need not spill values that are live across a
/// call inside the hot loop (all float registers are caller-saved), and Asyncify sees a loop without calls, which
/// it guards once instead of instrumenting every iteration. Branches in the body that leave <c>$L</c> are
/// renumbered past the three wrapper labels. Loops with a block type other than empty keep a plain inline check.
/// An innermost loop that <see cref="LoopOutlineAnalysis"/> accepts moves into a function of its own instead, and the
/// loop's place holds a call to it that yields and calls again while it returns status 1:
/// <code>
/// block  loop
///     (locals the loop uses)  call $outlined  local.set $status  (local.set each local it writes)
///     local.get $status  if  call $yield  br 1  end
/// end  end
/// </code>
/// </summary>
internal sealed class LoopSafePointEmitter(byte[] code, uint yieldIndex, uint flag, bool checkAtEntry, OutlinedFunctions outlined, IReadOnlyList<byte> localTypes)
{
    private const byte Block = 0x02, Br = 0x0C, BrIf = 0x0D, BrTable = 0x0E, EmptyType = 0x40, LocalGet = 0x20, LocalSet = 0x21;
    private const int WrapperLabels = 3;
    private readonly WasmWriter output = new();
    private readonly List<bool> frames = [false];

    /// <summary>True when a loop was outlined: the function needs one more i32 local (the status), at index <c>localTypes.Count</c>.</summary>
    public bool UsesStatusLocal { get; private set; }

    public byte[] Emit()
    {
        var reader = new WasmReader(code);
        while (!reader.AtEnd)
        {
            var current = InstructionDecoder.Next(ref reader);
            switch (current.Opcode)
            {
                case Instruction.Loop when IsLogCall(reader, out var afterPattern) && TryOutline(current, afterPattern) is { } after:
                    reader.Position = after;
                    break;
                case Instruction.Loop when IsLogCall(reader, out var afterPattern):
                    EmitLoopHeader(current);
                    reader.Position = afterPattern;
                    break;
                case Instruction.I32Const when IsLogCall(reader, current, out var afterCall):
                    // Function entry keeps its check; the checks Binaryen put before returns and function ends go.
                    if (current.Start == 0 && checkAtEntry)
                    {
                        EmitInlineCheck();
                    }
                    reader.Position = afterCall;
                    break;
                case Block or Instruction.If or Instruction.Loop:
                    Copy(current);
                    frames.Add(false);
                    break;
                case Instruction.End_:
                    Copy(current);
                    var transformed = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    if (transformed)
                    {
                        output.Byte(Br).U32(2).Byte(Instruction.End_).Byte(Instruction.Call).U32(yieldIndex).Byte(Br).U32(0).Byte(Instruction.End_).Byte(Instruction.End_);
                    }
                    break;
                case Br or BrIf:
                    output.Byte(current.Opcode).U32(Relabel((uint)current.Immediate));
                    break;
                case BrTable:
                    EmitBrTable(current);
                    break;
                default:
                    Copy(current);
                    break;
            }
        }
        return output.ToArray();
    }

    private void EmitLoopHeader(Instruction loop)
    {
        var blockType = code.AsSpan(loop.Start + 1, loop.End - loop.Start - 1);
        if (blockType is [EmptyType])
        {
            output.Byte(Block).Byte(EmptyType).Byte(Instruction.Loop).Byte(EmptyType).Byte(Block).Byte(EmptyType).Byte(Instruction.Loop).Byte(EmptyType);
            output.Byte(Instruction.GlobalGet).U32(flag).Byte(BrIf).U32(1);
            frames.Add(true);
            return;
        }
        Copy(loop);
        EmitInlineCheck();
        frames.Add(false);
    }

    /// <summary>Outlines the loop when it qualifies; returns where its original code ends, or null to instrument it in place.</summary>
    private int? TryOutline(Instruction loop, int bodyStart)
    {
        if (code.AsSpan(loop.Start + 1, loop.End - loop.Start - 1) is not [EmptyType]
            || LoopOutlineAnalysis.Analyse(code, bodyStart) is not { } candidate)
        {
            return null;
        }
        var function = outlined.Add(code, candidate, localTypes);
        var status = (uint)localTypes.Count;
        UsesStatusLocal = true;
        output.Byte(Block).Byte(EmptyType).Byte(Instruction.Loop).Byte(EmptyType);
        foreach (var local in candidate.Locals)
        {
            output.Byte(LocalGet).U32(local);
        }
        output.Byte(Instruction.Call).U32(function).Byte(LocalSet).U32(status);
        foreach (var local in candidate.Written.Reverse())
        {
            output.Byte(LocalSet).U32(local);
        }
        output.Byte(LocalGet).U32(status).Byte(Instruction.If).Byte(EmptyType).Byte(Instruction.Call).U32(yieldIndex).Byte(Br).U32(1).Byte(Instruction.End_);
        output.Byte(Instruction.End_).Byte(Instruction.End_);
        return candidate.After;
    }

    private void EmitInlineCheck() =>
        output.Byte(Instruction.GlobalGet).U32(flag).Byte(Instruction.If).Byte(EmptyType).Byte(Instruction.Call).U32(yieldIndex).Byte(Instruction.End_);

    /// <summary>A branch <paramref name="depth"/> labels out crosses three wrapper labels for every transformed loop it leaves.</summary>
    private uint Relabel(uint depth)
    {
        var crossed = 0;
        for (var i = 0; i < depth && i < frames.Count; i++)
        {
            if (frames[frames.Count - 1 - i])
            {
                crossed++;
            }
        }
        return depth + (uint)(crossed * WrapperLabels);
    }

    private void EmitBrTable(Instruction instruction)
    {
        var reader = new WasmReader(code) { Position = instruction.Start + 1 };
        var count = reader.ReadU32();
        output.Byte(BrTable).U32(count);
        for (var i = 0; i <= count; i++)
        {
            output.U32(Relabel(reader.ReadU32()));
        }
    }

    private bool IsLogCall(WasmReader reader, out int afterPattern)
    {
        afterPattern = 0;
        if (reader.AtEnd)
        {
            return false;
        }
        var constant = InstructionDecoder.Next(ref reader);
        return constant.Opcode == Instruction.I32Const && IsLogCall(reader, constant, out afterPattern);
    }

    private bool IsLogCall(WasmReader reader, Instruction constant, out int afterCall)
    {
        afterCall = 0;
        if (reader.AtEnd)
        {
            return false;
        }
        var call = InstructionDecoder.Next(ref reader);
        afterCall = call.End;
        return constant.Opcode == Instruction.I32Const && call.Opcode == Instruction.Call && call.Immediate == yieldIndex;
    }

    private void Copy(Instruction instruction) => output.Bytes(code.AsSpan(instruction.Start, instruction.End - instruction.Start));
}
