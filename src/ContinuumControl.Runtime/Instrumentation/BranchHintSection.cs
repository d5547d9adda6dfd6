using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// Writes the branch-hinting proposal's <c>metadata.code.branch_hint</c> section, marking the safe-point checks as
/// unlikely. Cranelift then lays the yield call out in a cold block, so values live across the (rarely taken) call
/// are spilled only on that path instead of in the hot loop.
/// </summary>
internal static class BranchHintSection
{
    public const string Name = "metadata.code.branch_hint";

    /// <param name="hints">Per function index, byte offsets of <c>if</c> instructions from the start of the function body (its locals).</param>
    public static void Write(WasmModuleFile file, IReadOnlyList<(int Function, List<int> Offsets)> hints)
    {
        if (hints.Count == 0)
        {
            return;
        }
        var writer = new WasmWriter().Name(Name).U32((uint)hints.Count);
        foreach (var (function, offsets) in hints.OrderBy(h => h.Function))
        {
            writer.U32((uint)function).U32((uint)offsets.Count);
            foreach (var offset in offsets.Order())
            {
                writer.U32((uint)offset).U32(1).Byte(0);
            }
        }
        // The proposal requires the section before the code section.
        var payload = writer.ToArray();
        file.Sections.RemoveAll(s => s.Id == WasmSection.Custom && s.CustomName == Name);
        var code = file.Sections.FindIndex(s => s.Id == WasmSection.Code);
        file.Sections.Insert(code < 0 ? file.Sections.Count : code, new WasmSection(WasmSection.Custom, payload));
    }
}
