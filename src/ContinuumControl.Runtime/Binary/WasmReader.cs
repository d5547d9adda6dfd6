using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Binary;

/// <summary>Forward-only reader of the WebAssembly binary encoding (LEB128 integers, names, vectors).</summary>
internal ref struct WasmReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= data.Length;

    public readonly int Length => data.Length;

    public byte ReadByte()
    {
        if (Position >= data.Length)
        {
            throw Truncated();
        }
        return data[Position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        // Subtracted, not added: Position + a count near int.MaxValue would overflow and pass the check.
        if (count < 0 || count > data.Length - Position)
        {
            throw Truncated();
        }
        var slice = data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public uint ReadU32() => (uint)ReadUnsigned(32);

    public ulong ReadU64() => ReadUnsigned(64);

    public long ReadSigned(int bits)
    {
        long result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = ReadByte();
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0 && shift < bits + 7);
        if (shift < 64 && (b & 0x40) != 0)
        {
            result |= -1L << shift;
        }
        return result;
    }

    /// <summary>
    /// Reads a vector's element count, refusing one that could not fit in the bytes left (each element takes at least
    /// one), so a forged count never sizes an allocation.
    /// </summary>
    public int ReadCount()
    {
        var count = ReadU32();
        if (count > (uint)(data.Length - Position))
        {
            throw new ModuleRejectedException($"the module is malformed: a vector claims {count} elements but only {data.Length - Position} bytes follow");
        }
        return (int)count;
    }

    public string ReadName()
    {
        var length = (int)ReadU32();
        return System.Text.Encoding.UTF8.GetString(ReadBytes(length));
    }

    private ulong ReadUnsigned(int bits)
    {
        ulong result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            shift += 7;
            if (shift > bits + 7)
            {
                throw new ModuleRejectedException("the module is malformed: an integer is encoded with too many bytes");
            }
        }
        while ((b & 0x80) != 0);
        return result;
    }

    private static ModuleRejectedException Truncated() =>
        new("the module is malformed: it ends in the middle of a section; upload the complete .wasm file");
}
