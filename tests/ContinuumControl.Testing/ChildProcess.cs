using System.Diagnostics;
using System.Text;

namespace ContinuumControl.Testing;

/// <summary>
/// A real OS process (server or agent) whose stdout and stderr are kept for failure messages, and also written to
/// <c>logPath</c> when given (a benchmark keeps its processes' logs).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StreamWriter? _file;

    private ChildProcess(Process process, StreamWriter? file)
    {
        _process = process;
        _file = file;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? env = null, string? logPath = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var file = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        var child = new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"), file);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
            _file?.WriteLine(line);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a machine or power loss.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _file?.Dispose();
        }
    }
}
