using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Tests.Admission;

public class AdmissionRefusalTests
{
    private const string Start = """(func (export "_start"))""";

    public static TheoryData<string, string, string> Unsupported => new()
    {
        { "memory64", $"(module (memory i64 1) {Start})", "64-bit memory" },
        { "externref", $"(module (memory 1) (func $f (param externref)) {Start})", "externref/funcref values" },
        { "externref table", $"(module (memory 1) (table 1 externref) {Start})", "table of externref" },
        { "table changed at run time", $"(module (memory 1) (table 2 funcref) (func (export \"_start\") (table.copy (i32.const 0) (i32.const 1) (i32.const 1))))", "changes a table at run time" },
        { "ref.func", $"(module (memory 1) (func $g) (elem declare func $g) (func (export \"_start\") (drop (ref.func $g))))", "reference-type instructions" },
        { "unknown import module", $"(module (import \"env\" \"sleep\" (func)) (memory 1) {Start})", "imports from 'env', which no node provides" },
        { "unknown continuum import", $"(module (import \"continuum\" \"spawn\" (func)) (memory 1) {Start})", "provides only 'yield'" },
        { "imported memory", $"(module (import \"wasi_snapshot_preview1\" \"memory\" (memory 1)) {Start})", "host provides only functions" },
        { "shared memory", $"(module (memory 1 1 shared) {Start})", "shared memory" },
        { "no memory", $"(module {Start})", "no linear memory" },
        { "no _start", "(module (memory 1) (func (export \"main\")))", "no '_start' function" },
        { "tail call", $"(module (memory 1) (func $f (result i32) (return_call $f)) {Start})", "tail calls (return_call" },
        { "relaxed SIMD", "(module (memory 1) (func (export \"_start\") (drop (i32x4.relaxed_trunc_f32x4_s (v128.const i32x4 0 0 0 0)))))", "relaxed SIMD" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Inspect_UnsupportedModule_IsRefusedWithReason(string kind, string wat, string reason)
    {
        using var engine = new Wasmtime.Engine(new Wasmtime.Config().WithMemory64(true).WithWasmThreads(true).WithReferenceTypes(true));
        var bytes = Wasmtime.Module.ConvertText(wat);

        var error = Assert.Throws<ModuleRejectedException>(() => new ModuleInspector(engine).Inspect(bytes));

        Assert.True(error.Reason.Contains(reason, StringComparison.Ordinal), $"{kind}: {error.Reason}");
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Instrument_UnsupportedModule_IsRefusedBeforeWasmOptRuns(string kind, string wat, string reason)
    {
        var bytes = Wasmtime.Module.ConvertText(wat);

        var error = Assert.Throws<ModuleRejectedException>(() => new ModuleInstrumenter(new InstrumentationOptions { WasmOptPath = "/nonexistent/wasm-opt" }).Instrument(bytes));

        Assert.True(error.Reason.Contains(reason, StringComparison.Ordinal), $"{kind}: {error.Reason}");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'h', (byte)'i', 0, 0, 0, 0, 0, 0 }, "does not start with the \\0asm magic")]
    [InlineData(new byte[] { 0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 1, 9, 1 }, "the module is malformed")]
    [InlineData(new byte[] { 0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 1, 1, 0x99 }, "not valid WebAssembly")]
    public void Inspect_MalformedBytes_IsRefusedWithReason(byte[] bytes, string reason)
    {
        using var engine = RuntimeEngine.Create();

        var error = Assert.Throws<ModuleRejectedException>(() => new ModuleInspector(engine).Inspect(bytes));

        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Inspect_Sample_ListsImportsAndHash()
    {
        using var engine = RuntimeEngine.Create();

        var inspection = new ModuleInspector(engine).Inspect(Samples.Module("hello"));

        Assert.Contains("continuum.yield", inspection.Imports);
        Assert.Equal(["continuum", "wasi_snapshot_preview1"], inspection.ImportModules);
        Assert.Equal(64, inspection.Hash.Length);
    }
}
