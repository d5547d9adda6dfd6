using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>The real control plane in memory, on its own SQLite file or its own PostgreSQL database.</summary>
public abstract class ControlPlaneFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminToken = "cc_test-admin-token";
    public const string JoinToken = "ccj_test-join-token";
    public const long MaxModuleBytes = 1024 * 1024;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cc-tests", Guid.NewGuid().ToString("N"));

    protected abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>
    /// Heartbeat TTL in seconds: short so liveness tests finish quickly, but not so short that a scripted agent's
    /// heartbeat every 500 ms misses it on a loaded CI machine (at 2 s + 1 s grace, live agents were declared Down).
    /// </summary>
    public int HeartbeatTtlSeconds => 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Server:DataDirectory", _dataDirectory);
        builder.UseSetting("Server:LocalAgents", "0");
        builder.UseSetting("Server:RegisterSamples", "false");
        builder.UseSetting("Server:BootstrapToken", AdminToken);
        builder.UseSetting("Server:JoinToken", JoinToken);
        builder.UseSetting("Server:MaxModuleBytes", MaxModuleBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Server:HeartbeatTtlSeconds", HeartbeatTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Server:HeartbeatGraceSeconds", "2");
        builder.UseSetting("Server:HeartbeatFlushMilliseconds", "100");
        // Policies would move the scripted agents' workloads behind a test's back; tests that need one switch it on.
        foreach (var policy in new[] { "Rebalance", "Drain", "Offload", "EnergyLow", "NodeDown" })
        {
            builder.UseSetting($"Orchestration:Policies:{policy}:Enabled", EnabledPolicies.Contains(policy) ? "true" : "false");
        }
    }

    /// <summary>Cluster policies that run in this factory's control plane; none by default.</summary>
    protected virtual IReadOnlyCollection<string> EnabledPolicies => [];

    public HttpClient CreateApiClient(string? token = AdminToken)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public TestServer TestServer => Server;

    /// <summary>
    /// The node credential each scripted agent received, by node name: like a real agent's data directory, so an agent
    /// that joins again under a name reconnects as that node (see <see cref="TestAgent.JoinAsync"/>).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> NodeCredentials { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DropAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    protected virtual Task DropAsync() => Task.CompletedTask;
}

/// <summary>Embedded default: a SQLite file per test class.</summary>
public class SqliteControlPlaneFactory : ControlPlaneFactory
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cc-test-{Guid.NewGuid():N}.db");

    protected override string Provider => "Sqlite";

    protected override string ConnectionString => $"Data Source={_file}";

    protected override Task DropAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(f);
        }
        return Task.CompletedTask;
    }
}
