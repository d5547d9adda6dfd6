namespace ContinuumControl.Testing;

/// <summary>The repository and the build outputs tests and benchmarks start as real processes, found from the running assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the running assembly was built in (its bin/&lt;configuration&gt;/net10.0 folder).</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The server's build output in <see cref="Configuration"/>.</summary>
    public static string ServerDirectory => Path.Combine(Root, "src", "ContinuumControl.Server", "bin", Configuration, "net10.0");

    /// <summary>The agent the server's build ships in its agent/ folder.</summary>
    public static string AgentExecutable(string serverDirectory) => Path.Combine(serverDirectory, "agent", "ContinuumControl.Agent");

    public static string Samples => Path.Combine(Root, "samples", "workloads");

    public static string Sample(string name) => Path.Combine(Samples, name);

    public static string Expected(string name) => Path.Combine(Samples, "expected", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContinuumControl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"repository root (ContinuumControl.sln) not found above {AppContext.BaseDirectory}; run from inside the repository");
    }
}
