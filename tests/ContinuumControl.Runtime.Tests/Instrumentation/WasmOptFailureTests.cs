using ContinuumControl.Runtime.Admission;
using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Tests.Instrumentation;

public class WasmOptFailureTests
{
    [Fact]
    public void Instrument_FeatureOnlyWasmOptRefuses_NamesFeatureAndRemedyBeforeToolMessage()
    {
        // Extended constant expressions pass Wasmtime's validation and admission's own checks; Binaryen 108 refuses them.
        var bytes = Wasmtime.Module.ConvertText("""(module (memory 1) (global i32 (i32.add (i32.const 1) (i32.const 2))) (func (export "_start")))""");

        var error = Assert.Throws<ModuleRejectedException>(() => new ModuleInstrumenter(new InstrumentationOptions()).Instrument(bytes));

        Assert.StartsWith("the module cannot be made migratable: wasm-opt failed while inserting safe points; it uses extended constant expressions (extended-const)", error.Reason);
        Assert.Contains("build without -mextended-const", error.Reason);
        Assert.Contains("(wasm-opt said: [wasm-validator error", error.Reason);
    }

    [Fact]
    public void Explain_UnknownToolMessage_ListsSupportedFeaturesAndWhatToDo()
    {
        var error = WasmOptFailure.Explain(["--asyncify"], 1, "\nFatal: something new\nmore\n");

        Assert.Equal(
            "the module cannot be made migratable: wasm-opt failed while running Asyncify; it most likely uses a WebAssembly feature the instrumenter (Binaryen 108) does not support; "
            + "it supports MVP, sign-extension, mutable globals, non-trapping float-to-int, bulk memory, SIMD (128-bit) and multi-value. Rebuild for plain wasm32-wasi without extra -m feature flags "
            + "(e.g. no -mtail-call, -mrelaxed-simd, -fwasm-exceptions); if the module is plain wasm32-wasi, report it together with the module. (wasm-opt said: Fatal: something new)",
            error.Reason);
    }
}
