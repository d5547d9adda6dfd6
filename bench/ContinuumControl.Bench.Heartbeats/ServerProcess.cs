using System.Diagnostics;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>The real control plane, started from its build output as a separate process so its CPU is measured apart.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, Uri baseUrl)
    {
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string dll, string workDir, string connectionString, string joinToken, string apiToken, int flushMs)
    {
        var port = LocalPostgres.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var dataDir = Path.Combine(workDir, "server-data");
        Directory.CreateDirectory(dataDir);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var setting in new[]
        {
            $"--urls={baseUrl}",
            "--Database:Provider=Postgres",
            $"--Database:ConnectionString={connectionString}",
            "--Server:LocalAgents=0",
            $"--Server:JoinToken={joinToken}",
            $"--Server:BootstrapToken={apiToken}",
            $"--Server:DataDirectory={dataDir}",
            "--Server:RegisterSamples=false",
            $"--Server:HeartbeatFlushMilliseconds={flushMs}",
        })
        {
            psi.ArgumentList.Add(setting);
        }
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var log = new StreamWriter(Path.Combine(workDir, "server.log")) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, baseUrl);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Polls /healthz until the server answers 200 (migrations done, listening).</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}; see server.log");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the server did not answer /healthz within {timeout.TotalSeconds:0} s; see server.log");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
