using System.Security.Cryptography;
using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// The admission pipeline that makes a module migratable: check what cannot be captured -> drop debug info
/// (<see cref="DebugInfo"/>) -> export every mutable
/// global -> automatic safe points (unless the module imports <c>continuum.yield</c>) -> Asyncify with wasm-opt ->
/// move the safe-point flag into a memory word -> mark and cache by the source hash.
/// </summary>
public sealed class ModuleInstrumenter(InstrumentationOptions options)
{
    private static readonly string[] AsyncifyPasses = ["--asyncify", "--pass-arg=asyncify-imports@continuum.yield", "-O2"];

    /// <summary>Keeps Binaryen from inlining outlined loops (each has one caller) back into the functions Asyncify instrumented.</summary>
    private static readonly string[] KeepOutlinedLoops = ["--one-caller-inline-max-function-size", "0"];

    public ModuleInstrumenter()
        : this(new InstrumentationOptions())
    {
    }

    /// <summary>True when wasm-opt was found, i.e. modules that are not yet instrumented can be admitted.</summary>
    public bool CanInstrument => WasmOptTool.Resolve(options.WasmOptPath) is not null;

    /// <summary>
    /// Returns the instrumented form of <paramref name="bytes"/>. Throws <see cref="ModuleRejectedException"/> naming
    /// what cannot be captured, or <see cref="InstrumentationUnavailableException"/> when wasm-opt is needed but missing.
    /// </summary>
    public InstrumentedModule Instrument(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        var sourceHash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var file = WasmModuleFile.Parse(bytes);
        var layout = ModuleLayout.Read(file);
        CompatibilityCheck.Check(file, layout);
        if (InstrumentationMarker.Read(file) is { } marker)
        {
            if (marker.Version != InstrumentationMarker.Version)
            {
                throw new ModuleRejectedException($"the module was instrumented by instrumentation version {marker.Version}, but this runtime uses version {InstrumentationMarker.Version}; upload the original, uninstrumented module");
            }
            return new InstrumentedModule(sourceHash, sourceHash, bytes.ToArray(), marker.Kind, FromCache: true);
        }

        var cachePath = options.CacheDirectory is null ? null : Path.Combine(options.CacheDirectory, $"{sourceHash}.v{InstrumentationMarker.Version}.wasm");
        if (cachePath is not null && File.Exists(cachePath))
        {
            var cached = File.ReadAllBytes(cachePath);
            var kind = InstrumentationMarker.Read(WasmModuleFile.Parse(cached))?.Kind ?? SafePointKind.Cooperative;
            return new InstrumentedModule(sourceHash, Convert.ToHexStringLower(SHA256.HashData(cached)), cached, kind, FromCache: true);
        }

        var tool = new WasmOptTool(options.WasmOptPath);
        if (tool.ResolvedPath is null)
        {
            throw new InstrumentationUnavailableException(options.WasmOptPath);
        }
        var result = InstrumentWith(tool, file, layout, cancellationToken);
        if (cachePath is not null)
        {
            Directory.CreateDirectory(options.CacheDirectory!);
            var temporary = $"{cachePath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, result.Bytes);
            File.Move(temporary, cachePath, overwrite: true);
        }
        return new InstrumentedModule(sourceHash, Convert.ToHexStringLower(SHA256.HashData(result.Bytes)), result.Bytes, result.Kind, FromCache: false);
    }

    private static (byte[] Bytes, SafePointKind Kind) InstrumentWith(WasmOptTool tool, WasmModuleFile file, ModuleLayout layout, CancellationToken cancellationToken)
    {
        DebugInfo.Drop(file);
        GlobalExportRewriter.Apply(file, layout);
        var cooperative = SafePointRewriter.FunctionImportIndex(layout, HostCapabilities.Continuum, "yield") is not null;
        // --debuginfo keeps the guest's name section through wasm-opt, so a trap names the guest function. Only when
        // there is one: without it Binaryen would invent numeric names, which say less than Wasmtime's own
        // "wasm function N" and would change the bytes of modules instrumented before.
        string[] names = file.FindCustom("name") is null ? [] : ["--debuginfo"];
        var bytes = file.ToBytes();
        if (!cooperative)
        {
            var logged = WasmModuleFile.Parse(tool.Run(bytes, [.. names, "--log-execution"], cancellationToken));
            SafePointRewriter.Apply(logged);
            bytes = logged.ToBytes();
        }
        var asyncified = WasmModuleFile.Parse(tool.Run(bytes, cooperative ? [.. names, .. AsyncifyPasses] : [.. names, .. AsyncifyPasses, .. KeepOutlinedLoops], cancellationToken));
        FlagMemoryRewriter.Apply(asyncified);
        var kind = cooperative ? SafePointKind.Cooperative : SafePointKind.Automatic;
        InstrumentationMarker.Write(asyncified, kind);
        return (asyncified.ToBytes(), kind);
    }
}
