using System.Diagnostics;
using ContinuumControl.Runtime.Admission;

namespace ContinuumControl.Runtime.Instrumentation;

/// <summary>Runs Binaryen's <c>wasm-opt</c> on a module through temporary files.</summary>
internal sealed class WasmOptTool(string configuredPath)
{
    /// <summary>Features wasm-opt must accept in its input (and may keep in its output); reference types stay off.</summary>
    private static readonly string[] Features =
        ["--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int", "--enable-bulk-memory", "--enable-simd", "--enable-multivalue"];

    public string? ResolvedPath { get; } = Resolve(configuredPath);

    public static string? Resolve(string path)
    {
        if (path.Contains(Path.DirectorySeparatorChar) || path.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(path) ? path : null;
        }
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.Combine(d, path)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs wasm-opt with <paramref name="passes"/>; a cancellation kills its process tree and throws <see cref="OperationCanceledException"/>.</summary>
    public byte[] Run(byte[] input, string[] passes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = ResolvedPath ?? throw new InstrumentationUnavailableException(configuredPath);
        var inputFile = Path.GetTempFileName();
        var outputFile = inputFile + ".out.wasm";
        try
        {
            File.WriteAllBytes(inputFile, input);
            var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(inputFile);
            foreach (var argument in Features.Concat(passes))
            {
                start.ArgumentList.Add(argument);
            }
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(outputFile);
            using var process = Process.Start(start) ?? throw new InstrumentationUnavailableException(configuredPath);
            // The client went away (or the server is stopping): nobody waits for this module any more, and wasm-opt
            // would keep a core busy for nothing.
            using var cancelled = cancellationToken.Register(() => Kill(process));
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new ModuleRejectedException("instrumenting the module with wasm-opt took longer than 5 minutes; the module is too large to make migratable; build it optimized (-O2 / Rust release) so it has less code");
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                throw WasmOptFailure.Explain(passes, process.ExitCode, stderr.Result);
            }
            return File.ReadAllBytes(outputFile);
        }
        finally
        {
            File.Delete(inputFile);
            File.Delete(outputFile);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
