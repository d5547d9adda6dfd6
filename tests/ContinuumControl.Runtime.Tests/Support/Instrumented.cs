using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>
/// Instruments samples once per test run: the instrumenter's cache directory is shared by all tests (in the temp
/// folder, keyed by module hash), so wasm-opt runs once per sample.
/// </summary>
internal static class Instrumented
{
    public static InstrumentationOptions Options { get; } = new()
    {
        // Keyed by the runtime build as well, so a changed instrumenter never hands tests a stale artifact.
        CacheDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cc-runtime-tests-instrumented", typeof(ModuleInstrumenter).Assembly.ManifestModule.ModuleVersionId.ToString("N")),
    };

    private static readonly Dictionary<string, InstrumentedModule> Modules = [];

    public static InstrumentedModule Sample(string name)
    {
        lock (Modules)
        {
            if (!Modules.TryGetValue(name, out var module))
            {
                module = new ModuleInstrumenter(Options).Instrument(Samples.Module(name));
                Modules[name] = module;
            }
            return module;
        }
    }
}
