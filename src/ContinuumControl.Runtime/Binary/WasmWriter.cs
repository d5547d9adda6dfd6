namespace ContinuumControl.Runtime.Binary;

/// <summary>Appends WebAssembly binary encodings (LEB128 integers, names) to a growable buffer.</summary>
internal sealed class WasmWriter
{
    private readonly MemoryStream buffer = new();

    public int Length => (int)buffer.Length;

    public WasmWriter Byte(byte value)
    {
        buffer.WriteByte(value);
        return this;
    }

    public WasmWriter Bytes(ReadOnlySpan<byte> value)
    {
        buffer.Write(value);
        return this;
    }

    public WasmWriter U32(uint value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            buffer.WriteByte(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return this;
    }

    public WasmWriter S32(int value)
    {
        var more = true;
        while (more)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            more = !((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0));
            buffer.WriteByte(more ? (byte)(b | 0x80) : b);
        }
        return this;
    }

    public WasmWriter Name(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return U32((uint)bytes.Length).Bytes(bytes);
    }

    public byte[] ToArray() => buffer.ToArray();
}
