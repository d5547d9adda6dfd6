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
        var names = frames.Take(Shown + 1).Select(f => f.FunctionName is { } name ? Demangle(name) : $"wasm function at module offset 0x{f.ModuleOffset:x}").ToList();
        var callers = names.Skip(1).Take(Shown - 1).ToList();
        var more = frames.Count > Shown ? ", ..." : "";
        return callers.Count == 0 ? $" in {names[0]}" : $" in {names[0]}, called from {string.Join(" <- ", callers)}{more}";
    }

    /// <summary>
    /// Rust's legacy mangling (<c>_ZN3std7process5abort17h0123456789abcdefE</c> -> <c>std::process::abort</c>), which
    /// rustc writes into the name section; anything else (C names, C++ and v0 manglings) is shown as it is.
    /// </summary>
    internal static string Demangle(string name)
    {
        if (!name.StartsWith("_ZN", StringComparison.Ordinal) || !name.EndsWith('E'))
        {
            return name;
        }
        var parts = new List<string>();
        var i = 3;
        while (i < name.Length - 1)
        {
            var digits = i;
            while (digits < name.Length && char.IsAsciiDigit(name[digits]))
            {
                digits++;
            }
            if (digits == i || !int.TryParse(name.AsSpan(i, digits - i), out var length) || digits + length > name.Length - 1)
            {
                return name;
            }
            parts.Add(name.Substring(digits, length));
            i = digits + length;
        }
        if (parts.Count > 1 && parts[^1] is ['h', .. var hash] && hash.Length == 16 && hash.All(char.IsAsciiHexDigit))
        {
            parts.RemoveAt(parts.Count - 1);
        }
        return string.Join("::", parts);
    }
}
