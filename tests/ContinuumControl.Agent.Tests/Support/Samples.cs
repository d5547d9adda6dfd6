namespace ContinuumControl.Agent.Tests.Support;

/// <summary>The sample workloads committed under samples/workloads, and their expected output.</summary>
internal static class Samples
{
    private static string Directory { get; } = Path.Combine(RepositoryRoot(), "samples", "workloads");

    /// <summary>The committed instrumented form (no wasm-opt needed).</summary>
    public static byte[] Instrumented(string name) => File.ReadAllBytes(Path.Combine(Directory, "instrumented", name + ".wasm"));

    public static byte[] ExpectedStdout(string name) => File.ReadAllBytes(Path.Combine(Directory, "expected", name + ".stdout"));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContinuumControl.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
    }
}
