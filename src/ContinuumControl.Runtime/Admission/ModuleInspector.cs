using System.Security.Cryptography;
using Wasmtime;

namespace ContinuumControl.Runtime.Admission;

/// <summary>Validates a module by compiling it and lists the host imports it needs.</summary>
public sealed class ModuleInspector(Engine engine)
{
    /// <summary>Inspects <paramref name="bytes"/>; throws <see cref="ModuleRejectedException"/> naming the problem.</summary>
    public ModuleInspection Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || bytes[0] != 0 || bytes[1] != (byte)'a' || bytes[2] != (byte)'s' || bytes[3] != (byte)'m')
        {
            throw new ModuleRejectedException("not a WebAssembly binary: it does not start with the \\0asm magic bytes; upload a compiled .wasm file, not source or text format");
        }
        Module module;
        try
        {
            module = Module.FromBytes(engine, "inspected", bytes);
        }
        catch (WasmtimeException ex)
        {
            throw new ModuleRejectedException($"the module does not compile: {FirstLine(ex.Message)}");
        }
        using (module)
        {
            var imports = module.Imports.Select(i => $"{i.ModuleName}.{i.Name}").ToList();
            var importModules = module.Imports.Select(i => i.ModuleName).Distinct().Order(StringComparer.Ordinal).ToList();
            var unknown = importModules.Where(m => !HostCapabilities.All.Contains(m)).ToList();
            if (unknown.Count > 0)
            {
                throw new ModuleRejectedException(
                    $"the module imports from '{string.Join("', '", unknown)}', which no node provides; only {string.Join(" and ", HostCapabilities.All)} imports are available");
            }
            if (module.Exports.All(e => e.Name != "_start"))
            {
                throw new ModuleRejectedException("the module exports no '_start' function; build it as a WASI command (e.g. clang --target=wasm32-wasi) so it has an entry point");
            }
            return new ModuleInspection(Convert.ToHexStringLower(SHA256.HashData(bytes)), imports, importModules);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
