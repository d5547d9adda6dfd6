namespace ContinuumControl.EndToEnd.Tests.Cluster;

/// <summary>Where the built server, agent and samples are, from the test assembly's own location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the same configuration this test assembly was built in.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string ServerDirectory => Path.Combine(Root, "src", "ContinuumControl.Server", "bin", Configuration, "net10.0");

    /// <summary>The agent the server's build ships in its agent/ folder.</summary>
    public static string AgentExecutable => Path.Combine(ServerDirectory, "agent", "ContinuumControl.Agent");

    public static string Sample(string name) => Path.Combine(Root, "samples", "workloads", name);

    public static string Expected(string name) => Path.Combine(Root, "samples", "workloads", "expected", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContinuumControl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root (ContinuumControl.sln) not found above " + AppContext.BaseDirectory);
    }
}
