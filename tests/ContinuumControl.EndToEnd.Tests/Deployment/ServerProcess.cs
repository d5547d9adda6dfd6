using System.Net;
using System.Net.Sockets;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Deployment;

/// <summary>A lone control plane process (no agents, no samples) started with chosen settings, for deployment tests.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly ChildProcess _process;

    private ServerProcess(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Log => _process.Log;

    /// <summary>Starts the server on a free loopback port and waits until it has printed its start-up banner.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string scheme, params string[] args)
    {
        var address = new Uri($"{scheme}://127.0.0.1:{FreePort()}");
        var process = ChildProcess.Start("dotnet", [
            Path.Combine(RepoPaths.ServerDirectory, "ContinuumControl.Server.dll"),
            $"--urls={address}",
            "--Server:LocalAgents=0",
            "--Server:RegisterSamples=false",
            $"--Server:DataDirectory={dataDirectory}",
            .. args,
        ], dataDirectory);
        var server = new ServerProcess(process, address);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The banner's last line: its lines arrive one by one, and a test reads the ones before it.
        while (!server.Log.Contains("Try it:", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                // The exit can be seen before the last lines are read from its pipes.
                for (var i = 0; i < 40 && process.HasExited && !server.Log.Contains("Unhandled exception", StringComparison.Ordinal); i++)
                {
                    await Task.Delay(50);
                }
                var log = server.Log;
                server.Dispose();
                throw new InvalidOperationException($"the server did not start: {log}");
            }
            await Task.Delay(100);
        }
        return server;
    }

    public void Dispose() => _process.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
