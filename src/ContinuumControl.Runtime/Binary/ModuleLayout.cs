using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Binary;

/// <summary>An import of a module: where from, what, and of which kind (0 function, 1 table, 2 memory, 3 global, 4 tag).</summary>
internal sealed record WasmImport(string Module, string Name, byte Kind, uint TypeIndex);

/// <summary>An export: its name, its kind (0 function, 1 table, 2 memory, 3 global) and the index it names.</summary>
internal sealed record WasmExport(string Name, byte Kind, uint Index);

/// <summary>A function signature from the type section.</summary>
internal sealed record WasmFuncType(byte[] Params, byte[] Results);

/// <summary>A memory's limits; <see cref="Is64"/> and <see cref="Shared"/> are what admission refuses.</summary>
internal sealed record WasmMemory(ulong Min, ulong? Max, bool Shared, bool Is64);

/// <summary>A global: value type and mutability, in index order (imported globals first).</summary>
internal sealed record WasmGlobal(byte ValueType, bool Mutable, bool Imported);

/// <summary>The index spaces of a module, read from its sections: enough to rewrite and to judge it.</summary>
internal sealed class ModuleLayout
{
    public List<WasmFuncType> Types { get; } = [];
    public List<WasmImport> Imports { get; } = [];
    public List<WasmExport> Exports { get; } = [];
    public List<WasmMemory> Memories { get; } = [];
    public List<WasmGlobal> Globals { get; } = [];
    public List<byte> TableElementTypes { get; } = [];

    /// <summary>The initial size of each table, in entries (imported tables first).</summary>
    public List<ulong> TableMinimums { get; } = [];
    public int ImportedFunctionCount { get; private set; }
    public int DefinedFunctionCount { get; private set; }

    public static ModuleLayout Read(WasmModuleFile file)
    {
        var layout = new ModuleLayout();
        foreach (var section in file.Sections)
        {
            var r = new WasmReader(section.Payload);
            switch (section.Id)
            {
                case WasmSection.Type:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        var form = r.ReadByte();
                        if (form != 0x60)
                        {
                            throw new ModuleRejectedException($"the module declares a non-function type (form 0x{form:x2}, from the GC proposal); garbage-collected types cannot be checkpointed");
                        }
                        layout.Types.Add(new WasmFuncType(ReadValueTypes(ref r), ReadValueTypes(ref r)));
                    }
                    break;
                case WasmSection.Import:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        var module = r.ReadName();
                        var name = r.ReadName();
                        var kind = r.ReadByte();
                        uint typeIndex = 0;
                        switch (kind)
                        {
                            case 0:
                                typeIndex = r.ReadU32();
                                layout.ImportedFunctionCount++;
                                break;
                            case 1:
                                layout.TableElementTypes.Add(r.ReadByte());
                                layout.TableMinimums.Add(ReadLimits(ref r).Min);
                                break;
                            case 2:
                                layout.Memories.Add(ReadLimits(ref r));
                                break;
                            case 3:
                                layout.Globals.Add(new WasmGlobal(ReadValueType(ref r), r.ReadByte() == 1, true));
                                break;
                            default:
                                throw new ModuleRejectedException($"the module imports '{module}.{name}' of kind {kind} (an exception tag); the exception-handling proposal is not supported");
                        }
                        layout.Imports.Add(new WasmImport(module, name, kind, typeIndex));
                    }
                    break;
                case WasmSection.Function:
                    layout.DefinedFunctionCount = r.ReadCount();
                    break;
                case WasmSection.Table:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        layout.TableElementTypes.Add(r.ReadByte());
                        layout.TableMinimums.Add(ReadLimits(ref r).Min);
                    }
                    break;
                case WasmSection.Memory:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        layout.Memories.Add(ReadLimits(ref r));
                    }
                    break;
                case WasmSection.Global:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        var type = ReadValueType(ref r);
                        var mutable = r.ReadByte() == 1;
                        InstructionDecoder.SkipConstantExpression(ref r);
                        layout.Globals.Add(new WasmGlobal(type, mutable, false));
                    }
                    break;
                case WasmSection.Export:
                    for (var n = r.ReadU32(); n > 0; n--)
                    {
                        layout.Exports.Add(new WasmExport(r.ReadName(), r.ReadByte(), r.ReadU32()));
                    }
                    break;
                case WasmSection.Tag:
                    throw new ModuleRejectedException("the module declares exception tags (exception-handling proposal); exceptions cannot be checkpointed: build without -fwasm-exceptions");
            }
        }
        return layout;
    }

    private static byte[] ReadValueTypes(ref WasmReader r)
    {
        var count = r.ReadCount();
        var types = new byte[count];
        for (var i = 0; i < count; i++)
        {
            types[i] = ReadValueType(ref r);
        }
        return types;
    }

    private static byte ReadValueType(ref WasmReader r)
    {
        var type = r.ReadByte();
        if (type is 0x63 or 0x64)
        {
            throw new ModuleRejectedException("the module uses typed references (function-references/GC proposal); such values cannot be checkpointed");
        }
        return type;
    }

    private static WasmMemory ReadLimits(ref WasmReader r)
    {
        var flags = r.ReadByte();
        var is64 = (flags & 0x04) != 0;
        var min = is64 ? r.ReadU64() : r.ReadU32();
        ulong? max = (flags & 0x01) != 0 ? (is64 ? r.ReadU64() : r.ReadU32()) : null;
        if ((flags & 0x08) != 0)
        {
            r.ReadU32();
        }
        return new WasmMemory(min, max, (flags & 0x02) != 0, is64);
    }
}
