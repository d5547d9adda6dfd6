namespace ContinuumControl.Testing;

/// <summary>The sample workloads committed under samples/workloads, their instrumented forms and expected output.</summary>
public static class Samples
{
    public static byte[] Module(string name) => File.ReadAllBytes(RepoPaths.Sample(name + ".wasm"));

    /// <summary>The committed instrumented form (no wasm-opt needed).</summary>
    public static byte[] Instrumented(string name) => File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "instrumented", name + ".wasm"));

    public static byte[] ExpectedStdout(string name) => File.ReadAllBytes(RepoPaths.Expected(name + ".stdout"));
}
