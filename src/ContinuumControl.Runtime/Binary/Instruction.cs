namespace ContinuumControl.Runtime.Binary;

/// <summary>One decoded instruction: where it lies in the body, its opcode (and sub-opcode after a 0xFC/0xFD/0xFE prefix) and its first index immediate.</summary>
internal readonly record struct Instruction(int Start, int End, byte Opcode, uint SubOpcode, long Immediate)
{
    public const byte Loop = 0x03, If = 0x04, End_ = 0x0B, Call = 0x10, GlobalGet = 0x23, GlobalSet = 0x24, I32Const = 0x41;
    public const byte TableGet = 0x25, TableSet = 0x26, RefNull = 0xD0, RefIsNull = 0xD1, RefFunc = 0xD2;
    public const byte ReturnCall = 0x12, ReturnCallIndirect = 0x13;
    public const byte PrefixFc = 0xFC, PrefixSimd = 0xFD, PrefixAtomic = 0xFE;
}
