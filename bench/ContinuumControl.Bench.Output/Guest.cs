using System.Diagnostics;

namespace ContinuumControl.Bench.Output;

/// <summary>Builds guest/flood.c with clang-14 + wasi-libc in the benchmark run (plain WASI; the runtime instruments it).</summary>
internal static class Guest
{
    public static byte[] BuildFlood(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, "bench", "ContinuumControl.Bench.Output", "guest", "build.sh");
        var output = Path.Combine(Path.GetTempPath(), $"flood-{Environment.ProcessId}.wasm");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(output);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"building flood.c failed: {errors}");
        }
        var bytes = File.ReadAllBytes(output);
        File.Delete(output);
        return bytes;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ContinuumControl.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository");
    }
}
