using ContinuumControl.Runtime.Instrumentation;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Instrumentation;

/// <summary>
/// samples/workloads/instrumented holds the samples as the runtime instruments them, so the control plane can offer
/// the samples on a machine without Binaryen. They must be exactly what the current instrumenter makes. To refresh them
/// after changing the instrumentation: CONTINUUM_UPDATE_INSTRUMENTED_SAMPLES=1 dotnet test --filter BundledInstrumentedSamples
/// </summary>
public sealed class BundledInstrumentedSamplesTests
{
    public static TheoryData<string> Names => new(Directory.EnumerateFiles(RepoPaths.Samples, "*.wasm").Select(f => Path.GetFileNameWithoutExtension(f)!).Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void BundledCopy_EqualsWhatTheInstrumenterMakes(string name)
    {
        var fresh = new ModuleInstrumenter(new InstrumentationOptions()).Instrument(Samples.Module(name));
        var path = Path.Combine(RepoPaths.Samples, "instrumented", name + ".wasm");
        if (Environment.GetEnvironmentVariable("CONTINUUM_UPDATE_INSTRUMENTED_SAMPLES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, fresh.Bytes);
        }
        Assert.True(File.Exists(path), $"{path} is missing; regenerate with CONTINUUM_UPDATE_INSTRUMENTED_SAMPLES=1");
        Assert.True(fresh.Bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{path} is stale; regenerate with CONTINUUM_UPDATE_INSTRUMENTED_SAMPLES=1");
        var reloaded = new ModuleInstrumenter(new InstrumentationOptions { WasmOptPath = "/nonexistent/wasm-opt" }).Instrument(File.ReadAllBytes(path));
        Assert.Equal(fresh.Hash, reloaded.Hash);
    }
}
