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
