using System.Diagnostics;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

public class SeparateProcessRestoreTests
{
    [Theory]
    [InlineData("hello", new[] { "6" })]
    [InlineData("never-yields", new[] { "3" })]
    public async Task Restore_InAnotherOsProcess_OutputIsByteIdentical(string sample, string[] args)
    {
        var spec = Workloads.Spec(sample, args);
        var expected = MigrationDriver.Uninterrupted(spec);
        using var directory = new TestDirectory();
        var sink = new CollectingSink();
        var (manifest, module) = await Checkpointing.TakeAsync(spec, new FileChunkStore(directory.Sub("chunks")), sink, delayMs: 150);
        var manifestPath = directory.Sub("manifest.json");
        var modulePath = directory.Sub("module.wasm");
        var stdoutPath = directory.Sub("stdout");
        await File.WriteAllBytesAsync(manifestPath, CheckpointManifestSerializer.ToBytes(manifest));
        await File.WriteAllBytesAsync(modulePath, module);
        await File.WriteAllBytesAsync(stdoutPath, sink.Stdout);

        var (exitCode, stderr) = await RunRestoreHostAsync(manifestPath, directory.Sub("chunks"), modulePath, stdoutPath);

        Assert.True(exitCode == 0, $"restore host exited with {exitCode}: {stderr}");
        Assert.True(manifest.Wasi.StdoutOffset < expected.Stdout.Length, "the checkpoint should land before the end of the output");
        Assert.Equal(expected.Stdout, await File.ReadAllBytesAsync(stdoutPath));
        // The host carries stdout only, which is these samples' whole output.
        Assert.Empty(expected.Stderr);
    }

    private static async Task<(int ExitCode, string Stderr)> RunRestoreHostAsync(params string[] arguments)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "ContinuumControl.Runtime.RestoreHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }
}
