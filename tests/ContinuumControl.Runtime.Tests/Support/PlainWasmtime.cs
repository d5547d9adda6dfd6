namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>Runs a module as uploaded on plain Wasmtime (no instrumentation): the result every instrumented run must reproduce.</summary>
internal static class PlainWasmtime
{
    /// <summary>Runs <c>_start</c> and returns the WASI exit code (0 when it returns normally).</summary>
    public static int ExitCode(byte[] module)
    {
        using var engine = new Wasmtime.Engine();
        using var compiled = Wasmtime.Module.FromBytes(engine, "plain", module);
        using var linker = new Wasmtime.Linker(engine);
        using var store = new Wasmtime.Store(engine);
        linker.DefineWasi();
        store.SetWasiConfiguration(new Wasmtime.WasiConfiguration());
        try
        {
            linker.Instantiate(store, compiled).GetAction("_start")!();
            return 0;
        }
        catch (Wasmtime.WasmtimeException ex) when (ex.ExitCode is int code)
        {
            return code;
        }
    }
}
