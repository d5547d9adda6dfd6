using System.Text;
using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>How a module reaches its safe points.</summary>
public enum SafePointKind
{
    /// <summary>The guest calls <c>continuum.yield</c> itself (continuum.h); inline checks are inserted as well, so a guest that stops yielding still stops.</summary>
    Cooperative,

    /// <summary>Inline flag checks at function entries and loop headers call <c>continuum.yield</c> when the host sets the flag.</summary>
    Automatic,
}

/// <summary>
/// The custom section that marks a module as instrumented by this runtime: <c>continuum.instrumentation</c>,
/// holding "v{version};{kind}". Instrumented modules run without wasm-opt installed.
/// </summary>
internal static class InstrumentationMarker
{
    public const string SectionName = "continuum.instrumentation";

    /// <summary>
    /// Bumped whenever the instrumented output changes shape; part of cache keys and checkpoint manifests.
    /// v1: inline flag checks; v2: loop checks with the yield call outside the loop, branch hints;
    /// v3: innermost call-free loops outlined into functions Asyncify does not instrument;
    /// v4: inline checks in cooperative modules too, start functions folded into <c>_start</c>.
    /// </summary>
    public const int Version = 4;

    public static void Write(WasmModuleFile file, SafePointKind kind) =>
        file.AddCustom(SectionName, Encoding.UTF8.GetBytes($"v{Version};{kind}"));

    public static (int Version, SafePointKind Kind)? Read(WasmModuleFile file)
    {
        var section = file.FindCustom(SectionName);
        if (section is null)
        {
            return null;
        }
        var reader = new WasmReader(section.Payload);
        reader.ReadName();
        var text = Encoding.UTF8.GetString(section.Payload.AsSpan(reader.Position));
        var parts = text.Split(';');
        return parts.Length == 2 && parts[0].StartsWith('v') && int.TryParse(parts[0][1..], out var version) && Enum.TryParse<SafePointKind>(parts[1], out var kind)
            ? (version, kind)
            : null;
    }
}
