using Microsoft.Win32.SafeHandles;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Where a guest's stdout and stderr go: two files that Wasmtime writes itself, one syscall per guest write, as plain
/// Wasmtime does. Wasmtime's output callback hands every write to another thread and waits for it (tens of
/// microseconds each), which made a program printing a million small lines 43 times slower; reading the files in
/// large pieces (<see cref="OutputCounter"/>) costs the guest nothing. The files are unlinked as soon as both sides
/// hold them open, so nothing is left behind if the process dies, and their space is freed when the guest is.
/// </summary>
internal sealed class GuestStdio : IDisposable
{
    private readonly string directory;

    private GuestStdio(string directory)
    {
        this.directory = directory;
        StdoutPath = Path.Combine(directory, "stdout");
        StderrPath = Path.Combine(directory, "stderr");
    }

    public string StdoutPath { get; }

    public string StderrPath { get; }

    public SafeFileHandle? Stdout { get; private set; }

    public SafeFileHandle? Stderr { get; private set; }

    /// <summary>Makes a fresh folder for the two files under the system's temporary folder.</summary>
    public static GuestStdio Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "continuum-stdio", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new GuestStdio(directory);
    }

    /// <summary>Called once Wasmtime has opened the files (when the WASI configuration is set on the store).</summary>
    public void OpenForReading()
    {
        Stdout = File.OpenHandle(StdoutPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Stderr = File.OpenHandle(StderrPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        TryDeleteDirectory();
    }

    public void Dispose()
    {
        Stdout?.Dispose();
        Stderr?.Dispose();
        TryDeleteDirectory();
    }

    private void TryDeleteDirectory()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Windows keeps files open by Wasmtime: they go when the store is disposed (Dispose tries again).
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
