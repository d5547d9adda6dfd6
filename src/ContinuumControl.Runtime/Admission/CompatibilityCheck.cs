using ContinuumControl.Runtime.Binary;
using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Admission;

/// <summary>
/// Refuses what a checkpoint cannot capture faithfully. A checkpoint holds linear memory, mutable globals and the
/// Asyncify stack; anything living elsewhere (references to host objects, table contents changed at run time, 64-bit
/// or shared memories Asyncify cannot handle) would be silently lost on restore, so it is refused up front.
/// </summary>
internal static class CompatibilityCheck
{
    /// <summary>
    /// The most table entries a module may declare. Real programs have a few thousand (one per address-taken
    /// function); the host allocates every entry at instantiation, so a declared size is a memory request too.
    /// </summary>
    public const ulong MaxTableEntries = 1_000_000;

    public static void Check(WasmModuleFile file, ModuleLayout layout)
    {
        var instrumented = InstrumentationMarker.Read(file) is not null;
        CheckImports(layout, instrumented);
        CheckMemories(layout, instrumented);
        CheckReferenceTypes(layout);
        CheckCode(file);
        if (!layout.Exports.Any(e => e.Name == "_start" && e.Kind == 0))
        {
            throw new ModuleRejectedException("the module exports no '_start' function; build it as a WASI command (e.g. clang --target=wasm32-wasi) so it has an entry point");
        }
    }

    private static void CheckImports(ModuleLayout layout, bool instrumented)
    {
        var unknown = layout.Imports.Select(i => i.Module).Distinct().Where(m => !HostCapabilities.All.Contains(m)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ModuleRejectedException(
                $"the module imports from '{string.Join("', '", unknown)}', which no node provides; only {string.Join(" and ", HostCapabilities.All)} imports are available");
        }
        if (layout.Imports.FirstOrDefault(i => i.Kind == 0 && i.TypeIndex >= layout.Types.Count) is { } dangling)
        {
            throw new ModuleRejectedException($"the module is malformed: its import '{dangling.Module}.{dangling.Name}' names type {dangling.TypeIndex}, but it declares only {layout.Types.Count} types");
        }
        foreach (var import in layout.Imports.Where(i => i.Module == HostCapabilities.Continuum))
        {
            // continuum.check is what instrumentation inserts into cooperative modules; a guest may not import it itself.
            var known = import.Name == "yield" || (instrumented && import.Name == SafePointRewriter.CheckImport);
            if (!known || import.Kind != 0 || layout.Types[(int)import.TypeIndex] is not { Params.Length: 0, Results.Length: 0 })
            {
                throw new ModuleRejectedException($"the module imports 'continuum.{import.Name}', but the continuum module provides only 'yield' as a function with no parameters and no results (see continuum.h)");
            }
        }
        var nonFunction = layout.Imports.FirstOrDefault(i => i.Kind != 0);
        if (nonFunction is not null)
        {
            throw new ModuleRejectedException($"the module imports '{nonFunction.Module}.{nonFunction.Name}' as a table, memory or global; the host provides only functions, so define memories and globals inside the module");
        }
    }

    private static void CheckMemories(ModuleLayout layout, bool instrumented)
    {
        if (layout.Memories.Count == 0)
        {
            throw new ModuleRejectedException("the module has no linear memory; a migratable module needs one to hold its checkpointed call stack (every WASI command has one)");
        }
        if (layout.Memories.Any(m => m.Is64))
        {
            throw new ModuleRejectedException("the module uses a 64-bit memory (memory64), which Asyncify cannot instrument; build for wasm32 instead of wasm64");
        }
        if (layout.Memories.Any(m => m.Shared))
        {
            throw new ModuleRejectedException("the module uses shared memory (threads); threads cannot be paused at one consistent point, so build without -pthread / atomics");
        }
        if (layout.Memories.Count > (instrumented ? 2 : 1))
        {
            throw new ModuleRejectedException("the module has more than one linear memory (multi-memory), which Asyncify cannot instrument; use a single memory");
        }
    }

    private static void CheckReferenceTypes(ModuleLayout layout)
    {
        static bool IsReference(byte type) => type is 0x6F or 0x70;
        if (layout.TableElementTypes.Any(t => t == 0x6F))
        {
            throw new ModuleRejectedException("the module has a table of externref (reference types); host references cannot be carried in a checkpoint");
        }
        if (layout.TableMinimums.Any(m => m > MaxTableEntries))
        {
            throw new ModuleRejectedException($"the module declares a function table of {layout.TableMinimums.Max():N0} entries; at most {MaxTableEntries:N0} are allowed (the host allocates every entry when the module starts)");
        }
        if (layout.TableElementTypes.Count > 1)
        {
            throw new ModuleRejectedException("the module has more than one table (reference types proposal); only a single function table is supported");
        }
        if (layout.Types.Any(t => t.Params.Any(IsReference) || t.Results.Any(IsReference)) || layout.Globals.Any(g => IsReference(g.ValueType)))
        {
            throw new ModuleRejectedException("the module passes or stores externref/funcref values (reference types); references cannot be carried in a checkpoint: build without reference types (e.g. -mno-reference-types)");
        }
    }

    private static void CheckCode(WasmModuleFile file)
    {
        var code = file.Find(WasmSection.Code);
        if (code is null)
        {
            return;
        }
        foreach (var body in CodeSection.Read(code.Payload))
        {
            var reader = new WasmReader(body.Code);
            while (!reader.AtEnd)
            {
                var instruction = InstructionDecoder.Next(ref reader);
                switch (instruction.Opcode)
                {
                    case Instruction.TableSet:
                    case Instruction.PrefixFc when instruction.SubOpcode is 12 or 14 or 15 or 17:
                        throw new ModuleRejectedException("the module changes a table at run time (table.set/grow/fill/copy/init); table contents are not part of a checkpoint, so only tables fixed at instantiation are supported");
                    case Instruction.TableGet or Instruction.RefNull or Instruction.RefIsNull or Instruction.RefFunc:
                        throw new ModuleRejectedException("the module uses reference-type instructions (ref.null/ref.func/table.get); references cannot be carried in a checkpoint: build without reference types (e.g. -mno-reference-types)");
                    case Instruction.ReturnCall or Instruction.ReturnCallIndirect:
                        throw new ModuleRejectedException("the module uses tail calls (return_call, the tail-call proposal), which Asyncify cannot unwind through; build without tail calls (clang: drop -mtail-call; Rust: drop -C target-feature=+tail-call)");
                    case Instruction.PrefixSimd when instruction.SubOpcode >= 0x100:
                        throw new ModuleRejectedException("the module uses relaxed SIMD instructions (the relaxed-simd proposal), which Binaryen 108 cannot instrument and whose results differ between CPUs, so a moved workload could compute differently; build without -mrelaxed-simd (plain -msimd128 is fine)");
                }
            }
        }
    }
}
