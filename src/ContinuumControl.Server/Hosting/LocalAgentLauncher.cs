using System.Diagnostics;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ContinuumControl.Server.Hosting;

/// <summary>
/// The embedded default: starts local agents (one edge, one cloud, ...) as child processes once the server listens,
/// restarts one that dies, and stops them with the server. Real deployments run agents on their own machines.
/// </summary>
public sealed class LocalAgentLauncher(
    ServerOptions options,
    ServerSecrets secrets,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<LocalAgentLauncher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.LocalAgents <= 0)
        {
            return;
        }
        await WhenStartedAsync(stoppingToken);
        var url = ServerUrl();
        var agents = Enumerable.Range(0, options.LocalAgents).Select(i => RunAsync(AgentName(i), i % 2 == 0 ? "Edge" : "Cloud", url, stoppingToken));
        await Task.WhenAll(agents);
    }

    private string SharedVolume() => Directory.CreateDirectory(Path.Combine(options.FullDataDirectory, "volumes", "shared")).FullName;

    private static string AgentName(int i) => $"{(i % 2 == 0 ? "edge" : "cloud")}-{(i / 2) + 1}";

    private async Task RunAsync(string name, string nodeClass, string url, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var recent = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var process = Start(name, nodeClass, url, recent);
            try
            {
                await process.WaitForExitAsync(stoppingToken);
                logger.LogWarning("Local agent {Name} exited with code {Code}; restarting in {Delay}. Its last output:{NewLine}{Output}",
                    name, process.ExitCode, delay, Environment.NewLine, string.Join(Environment.NewLine, recent));
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (OperationCanceledException)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private Process Start(string name, string nodeClass, string url, System.Collections.Concurrent.ConcurrentQueue<string> recent)
    {
        // The build and publish ship the agent in agent/ beside the server (see the server's project file).
        var dir = Path.Combine(AppContext.BaseDirectory, "agent");
        var apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "ContinuumControl.Agent.exe" : "ContinuumControl.Agent");
        var info = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(dir, "ContinuumControl.Agent.dll") } };
        foreach (var arg in new[]
        {
            $"--Agent:ServerUrl={url}",
            $"--Agent:Name={name}",
            $"--Agent:Class={nodeClass}",
            $"--Agent:DataDirectory={Path.Combine(options.FullDataDirectory, "agents", name)}",
            "--Agent:MemoryMiB=2048",
            // One directory for every local agent: shared storage, as a move between them needs (rust-files mounts it).
            $"--Agent:Volumes:shared={SharedVolume()}",
        })
        {
            info.ArgumentList.Add(arg);
        }
        // The token travels in the environment, not the command line, so other users cannot read it from ps.
        info.Environment["Agent__JoinToken"] = secrets.JoinToken;
        info.Environment["Agent__Labels__local"] = "true";
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start local agent {name}");
        process.OutputDataReceived += (_, e) => Forward(name, e.Data, recent);
        process.ErrorDataReceived += (_, e) => Forward(name, e.Data, recent);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("Started local {Class} agent {Name} (pid {Pid})", nodeClass, name, process.Id);
        return process;
    }

    /// <summary>Agent output goes to the debug log; the last lines are kept to explain a crash.</summary>
    private void Forward(string name, string? line, System.Collections.Concurrent.ConcurrentQueue<string> recent)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        logger.LogDebug("[{Agent}] {Line}", name, line);
        recent.Enqueue(line);
        while (recent.Count > 30)
        {
            recent.TryDequeue(out _);
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled());
        return started.Task;
    }

    private string ServerUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        // Agents dial the loopback address even when the server listens on every interface.
        return address.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1");
    }
}
