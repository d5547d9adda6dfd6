using System.Diagnostics;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>bench/ContinuumControl.Bench.Output/guest/flood.c, built with clang-14 + wasi-libc once per test run.</summary>
internal static class FloodGuest
{
    private static readonly Lazy<byte[]> Built = new(Build);

    /// <summary>The plain module; WorkloadInstance instruments it as admission does.</summary>
    public static byte[] Module => Built.Value;

    private static byte[] Build()
    {
        var script = Path.Combine(Path.GetDirectoryName(Samples.Directory)!, "..", "bench", "ContinuumControl.Bench.Output", "guest", "build.sh");
        var output = Path.Combine(Path.GetTempPath(), $"cc-flood-{Environment.ProcessId}.wasm");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(output);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"building flood.c failed: {errors}");
        var bytes = File.ReadAllBytes(output);
        File.Delete(output);
        return bytes;
    }
}
