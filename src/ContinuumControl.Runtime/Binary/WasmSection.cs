namespace ContinuumControl.Runtime.Binary;

/// <summary>One section of a module: its id, its custom name (id 0 only) and its raw payload.</summary>
internal sealed record WasmSection(byte Id, byte[] Payload)
{
    public const byte Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6, Export = 7,
        Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13;

    /// <summary>Position in the order the specification requires for non-custom sections.</summary>
    public static int OrderOf(byte id) => id switch
    {
        Type => 1, Import => 2, Function => 3, Table => 4, Memory => 5, Tag => 6, Global => 7, Export => 8,
        Start => 9, Element => 10, DataCount => 11, Code => 12, Data => 13, _ => 0,
    };

    public string? CustomName
    {
        get
        {
            if (Id != Custom)
            {
                return null;
            }
            var reader = new WasmReader(Payload);
            return reader.ReadName();
        }
    }
}
