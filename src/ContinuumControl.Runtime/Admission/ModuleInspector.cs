using System.Security.Cryptography;
using ContinuumControl.Runtime.Binary;
using Wasmtime;

namespace ContinuumControl.Runtime.Admission;

/// <summary>
/// Validates a module, refuses what a checkpoint could not capture (see <see cref="ModuleInspection"/>) and lists the
/// host imports it needs. Instrumenting it for migration is the next step, <see cref="Instrumentation.ModuleInstrumenter"/>.
/// </summary>
public sealed class ModuleInspector(Engine engine)
{
    /// <summary>Inspects <paramref name="bytes"/>; throws <see cref="ModuleRejectedException"/> naming the problem and what to do.</summary>
    public ModuleInspection Inspect(ReadOnlySpan<byte> bytes)
    {
        var file = WasmModuleFile.Parse(bytes);
        if (Module.Validate(engine, bytes) is { } error)
        {
            throw new ModuleRejectedException($"the module is not valid WebAssembly: {FirstLine(error)}; rebuild it with a current toolchain");
        }
        var layout = ModuleLayout.Read(file);
        CompatibilityCheck.Check(file, layout);
        var imports = layout.Imports.Select(i => $"{i.Module}.{i.Name}").ToList();
        var importModules = layout.Imports.Select(i => i.Module).Distinct().Order(StringComparer.Ordinal).ToList();
        return new ModuleInspection(Convert.ToHexStringLower(SHA256.HashData(bytes)), imports, importModules);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
