using System.Security.Cryptography;
using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Binary;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>
/// The admission pipeline that makes a module migratable: check what cannot be captured -> drop debug info
/// (<see cref="DebugInfo"/>) -> fold a start function into <c>_start</c> -> export every mutable global -> inline
/// safe-point checks at loop headers and function entries (in every module: one that calls <c>continuum.yield</c>
/// itself keeps those calls as safe points too, and still stops when it stops yielding) -> Asyncify with wasm-opt ->
/// move the safe-point flag into a memory word -> mark and cache by the source hash.
/// </summary>
public sealed class ModuleInstrumenter(InstrumentationOptions options)
{
    private static readonly string[] AsyncifyPasses = ["--asyncify", "--pass-arg=asyncify-imports@continuum.yield", "-O2"];

    /// <summary>Cooperative modules unwind at their own yields and at the inserted checks (<see cref="SafePointRewriter.CheckImport"/>).</summary>
    private static readonly string[] CooperativeAsyncifyPasses = ["--asyncify", "--pass-arg=asyncify-imports@continuum.yield,continuum.check", "-O2"];

    /// <summary>Keeps Binaryen from inlining outlined loops (each has one caller) back into the functions Asyncify instrumented.</summary>
    private static readonly string[] KeepOutlinedLoops = ["--one-caller-inline-max-function-size", "0"];

    public ModuleInstrumenter()
        : this(new InstrumentationOptions())
    {
    }

    /// <summary>True when wasm-opt was found, i.e. modules that are not yet instrumented can be admitted.</summary>
    public bool CanInstrument => WasmOptTool.Resolve(options.WasmOptPath) is not null;

    /// <summary>
    /// Instruments a module someone uploaded. A <c>continuum.instrumentation</c> marker in it proves nothing (anyone can
    /// write one), so it is dropped and the module instrumented like any other; a module Asyncify already ran on is
    /// refused, because its own unwind code would run under ours.
    /// </summary>
    public InstrumentedModule InstrumentUpload(ReadOnlySpan<byte> bytes, CancellationToken cancellationToken = default)
    {
        var file = WasmModuleFile.Parse(bytes);
        var layout = ModuleLayout.Read(file);
        if (layout.Exports.Any(e => e.Name.StartsWith("asyncify_", StringComparison.Ordinal)))
        {
            throw new ModuleRejectedException("the module was already transformed by Asyncify (it exports asyncify_* functions); upload the module as the compiler produced it, before wasm-opt --asyncify or instrumentation");
        }
        if (file.FindCustom(InstrumentationMarker.SectionName) is null)
        {
            return Instrument(bytes, cancellationToken);
        }
        file.Sections.RemoveAll(s => s.Id == WasmSection.Custom && s.CustomName == InstrumentationMarker.SectionName);
        return Instrument(file.ToBytes(), cancellationToken) with { SourceHash = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
    }

    /// <summary>
    /// Returns the instrumented form of <paramref name="bytes"/>, which come from a trusted place (the control plane,
    /// this runtime's cache, the bundled samples): a module carrying this runtime's marker is taken as instrumented. Throws <see cref="ModuleRejectedException"/> naming
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
        StartFunctionRewriter.Apply(file, layout);
        layout = ModuleLayout.Read(file);
        GlobalExportRewriter.Apply(file, layout);
        var cooperative = SafePointRewriter.FunctionImportIndex(layout, HostCapabilities.Continuum, "yield") is not null;
        // --debuginfo keeps the guest's name section through wasm-opt, so a trap names the guest function. Only when
        // there is one: without it Binaryen would invent numeric names, which say less than Wasmtime's own
        // "wasm function N" and would change the bytes of modules instrumented before.
        string[] names = file.FindCustom("name") is null ? [] : ["--debuginfo"];
        // Cooperative modules get the inline checks too: their own yields are where they expect to pause (files closed,
        // nothing learned from the clock), but a guest that stops yielding (a bug, or on purpose) must still be
        // stoppable, capturable and held to its limits. Their checks call continuum.check, so the host can tell an
        // inserted safe point from the guest's own and take a checkpoint there only when the guest is overdue.
        var logged = WasmModuleFile.Parse(tool.Run(file.ToBytes(), [.. names, "--log-execution"], cancellationToken));
        SafePointRewriter.Apply(logged, cooperative ? SafePointRewriter.CheckImport : SafePointRewriter.YieldImport);
        var asyncified = WasmModuleFile.Parse(tool.Run(logged.ToBytes(), [.. names, .. cooperative ? CooperativeAsyncifyPasses : AsyncifyPasses, .. KeepOutlinedLoops], cancellationToken));
        FlagMemoryRewriter.Apply(asyncified);
        var kind = cooperative ? SafePointKind.Cooperative : SafePointKind.Automatic;
        InstrumentationMarker.Write(asyncified, kind);
        return (asyncified.ToBytes(), kind);
    }
}
