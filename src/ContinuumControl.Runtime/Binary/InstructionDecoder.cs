using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Binary;

/// <summary>
/// Decodes instruction boundaries of the MVP plus the post-MVP features clang and Binaryen emit (sign extension,
/// saturating truncation, bulk memory, SIMD, multi-memory memargs, reference instructions). Rewriters need only the
/// boundaries and the first index immediate, so values are not interpreted.
/// </summary>
internal static class InstructionDecoder
{
    public static Instruction Next(ref WasmReader r)
    {
        var start = r.Position;
        var op = r.ReadByte();
        uint sub = 0;
        long immediate = 0;
        switch (op)
        {
            case 0x02 or 0x03 or 0x04:
                SkipBlockType(ref r);
                break;
            case 0x06 or 0x07 or 0x08 or 0x09 or 0x0A or 0x18 or 0x19 or 0x1F:
                throw Unsupported("exception-handling (try/throw/catch; C++: build with -fno-exceptions instead of -fwasm-exceptions)", op);
            case 0x0C or 0x0D:
                immediate = r.ReadU32();
                break;
            case 0x0E:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    r.ReadU32();
                }
                r.ReadU32();
                break;
            case 0x10 or 0x12 or 0xD2:
                immediate = r.ReadU32();
                break;
            case 0x11 or 0x13:
                immediate = r.ReadU32();
                r.ReadU32();
                break;
            case 0x1C:
                for (var n = r.ReadU32(); n > 0; n--)
                {
                    r.ReadByte();
                }
                break;
            case >= 0x20 and <= 0x26:
                immediate = r.ReadU32();
                break;
            case >= 0x28 and <= 0x3E:
                SkipMemArg(ref r);
                break;
            case 0x3F or 0x40:
                immediate = r.ReadU32();
                break;
            case 0x41:
                immediate = r.ReadSigned(32);
                break;
            case 0x42:
                immediate = r.ReadSigned(64);
                break;
            case 0x43:
                r.ReadBytes(4);
                break;
            case 0x44:
                r.ReadBytes(8);
                break;
            case 0xD0:
                r.ReadByte();
                break;
            case Instruction.PrefixFc:
                sub = r.ReadU32();
                immediate = SkipFc(ref r, sub);
                break;
            case Instruction.PrefixSimd:
                sub = r.ReadU32();
                SkipSimd(ref r, sub);
                break;
            case Instruction.PrefixAtomic:
                throw Unsupported("atomic (threads)", op);
            case 0x00 or 0x01 or 0x05 or 0x0B or 0x0F or 0x1A or 0x1B or 0xD1:
                break;
            case >= 0x45 and <= 0xC4:
                break;
            default:
                throw Unsupported("unknown", op);
        }
        return new Instruction(start, r.Position, op, sub, immediate);
    }

    /// <summary>Skips a constant expression (global initialisers, segment offsets) up to and including its end.</summary>
    public static void SkipConstantExpression(ref WasmReader r)
    {
        while (Next(ref r).Opcode != Instruction.End_)
        {
        }
    }

    private static void SkipBlockType(ref WasmReader r)
    {
        var b = r.ReadByte();
        if (b == 0x40 || b is >= 0x6F and <= 0x7F)
        {
            return;
        }
        r.Position--;
        r.ReadSigned(33);
    }

    private static void SkipMemArg(ref WasmReader r)
    {
        var align = r.ReadU32();
        if ((align & 0x40) != 0)
        {
            r.ReadU32();
        }
        r.ReadU64();
    }

    private static long SkipFc(ref WasmReader r, uint sub)
    {
        switch (sub)
        {
            case <= 7:
                return 0;
            case 8:
                var segment = r.ReadU32();
                r.ReadU32();
                return segment;
            case 9 or 11 or 13 or 15 or 16 or 17:
                return r.ReadU32();
            case 10 or 12 or 14:
                var first = r.ReadU32();
                r.ReadU32();
                return first;
            default:
                throw Unsupported($"0xFC {sub}", Instruction.PrefixFc);
        }
    }

    private static void SkipSimd(ref WasmReader r, uint sub)
    {
        switch (sub)
        {
            case <= 11 or 92 or 93:
                SkipMemArg(ref r);
                break;
            case 12 or 13:
                r.ReadBytes(16);
                break;
            case >= 21 and <= 34:
                r.ReadByte();
                break;
            case >= 84 and <= 91:
                SkipMemArg(ref r);
                r.ReadByte();
                break;
        }
    }

    private static ModuleRejectedException Unsupported(string what, byte op) =>
        new($"the module uses {what} instructions (opcode 0x{op:x2}), which the platform cannot checkpoint; build for plain wasm32-wasi without that proposal");
}
