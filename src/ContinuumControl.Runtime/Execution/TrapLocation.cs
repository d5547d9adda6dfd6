using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Where a trap happened, in the guest's own function names (from the module's name section, which instrumentation
/// keeps): "in check_invariant, called from main". A module without names shows Wasmtime's "wasm function N".
/// </summary>
internal static class TrapLocation
{
    private const int Shown = 3;

    public static string Describe(WasmtimeException ex)
    {
        var frames = ex.Frames;
        if (frames is null || frames.Count == 0)
        {
            return "";
        }
        var names = frames.Take(Shown + 1).Select(f => f.FunctionName ?? $"wasm function at module offset 0x{f.ModuleOffset:x}").ToList();
        var callers = names.Skip(1).Take(Shown - 1).ToList();
        var more = frames.Count > Shown ? ", ..." : "";
        return callers.Count == 0 ? $" in {names[0]}" : $" in {names[0]}, called from {string.Join(" <- ", callers)}{more}";
    }
}
