using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Binary;

/// <summary>A module split into its sections, so that single sections can be rewritten and the module reassembled.</summary>
internal sealed class WasmModuleFile
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    public List<WasmSection> Sections { get; } = [];

    public static WasmModuleFile Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || !bytes[..4].SequenceEqual(Header.AsSpan(0, 4)))
        {
            throw new ModuleRejectedException("not a WebAssembly binary: it does not start with the \\0asm magic bytes; upload a compiled .wasm file, not source or text format");
        }
        if (!bytes[4..8].SequenceEqual(Header.AsSpan(4, 4)))
        {
            throw new ModuleRejectedException("the module is a WebAssembly component or an unknown binary version; only core modules (version 1) are supported");
        }
        var file = new WasmModuleFile();
        var reader = new WasmReader(bytes) { Position = 8 };
        while (!reader.AtEnd)
        {
            var id = reader.ReadByte();
            var size = (int)reader.ReadU32();
            file.Sections.Add(new WasmSection(id, reader.ReadBytes(size).ToArray()));
        }
        return file;
    }

    public WasmSection? Find(byte id) => Sections.FirstOrDefault(s => s.Id == id);

    public WasmSection? FindCustom(string name) => Sections.FirstOrDefault(s => s.Id == WasmSection.Custom && s.CustomName == name);

    /// <summary>Replaces the section with <paramref name="id"/>, or inserts it where the specification orders it.</summary>
    public void Set(byte id, byte[] payload)
    {
        var index = Sections.FindIndex(s => s.Id == id);
        if (index >= 0)
        {
            Sections[index] = new WasmSection(id, payload);
            return;
        }
        var order = WasmSection.OrderOf(id);
        var insertAt = Sections.FindIndex(s => s.Id != WasmSection.Custom && WasmSection.OrderOf(s.Id) > order);
        Sections.Insert(insertAt < 0 ? Sections.Count : insertAt, new WasmSection(id, payload));
    }

    public void AddCustom(string name, ReadOnlySpan<byte> content)
    {
        Sections.RemoveAll(s => s.Id == WasmSection.Custom && s.CustomName == name);
        Sections.Add(new WasmSection(WasmSection.Custom, new WasmWriter().Name(name).Bytes(content).ToArray()));
    }

    public byte[] ToBytes()
    {
        var writer = new WasmWriter().Bytes(Header);
        foreach (var section in Sections)
        {
            writer.Byte(section.Id).U32((uint)section.Payload.Length).Bytes(section.Payload);
        }
        return writer.ToArray();
    }
}
