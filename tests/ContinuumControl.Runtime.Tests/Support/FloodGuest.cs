using System.Diagnostics;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>bench/ContinuumControl.Bench.Output/guest/flood.c, built with clang-14 + wasi-libc once per test run.</summary>
internal static class FloodGuest
{
    private static readonly Lazy<byte[]> Built = new(Build);

    /// <summary>The plain module; WorkloadInstance instruments it as admission does.</summary>
    public static byte[] Module => Built.Value;

    /// <summary>What flood.c writes to its stream, computed the way the C program does.</summary>
    public static byte[] Expected(long writes, long size)
    {
        using var bytes = new MemoryStream();
        var buffer = new byte[Math.Max(size, 100)];
        for (long i = 0; i < writes; i++)
        {
            var n = size != 0 ? size : 1 + (i * 37) % 100;
            for (long k = 0; k < n; k++)
            {
                buffer[k] = (byte)('a' + (i + k) % 26);
            }
            if (n > 1)
            {
                buffer[n - 1] = (byte)'\n';
            }
            bytes.Write(buffer, 0, (int)n);
        }
        return bytes.ToArray();
    }

    private static byte[] Build()
    {
        var script = Path.Combine(Path.GetDirectoryName(RepoPaths.Samples)!, "..", "bench", "ContinuumControl.Bench.Output", "guest", "build.sh");
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
