using ContinuumControl.Domain.Nodes;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Bench.Migration;

/// <summary>The real control plane (SQLite, its default) and two real agent processes on loopback.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string AdminToken = "cc_bench-admin-token";
    public const string JoinToken = "ccj_bench-join-token";

    private readonly List<ChildProcess> _processes = [];

    private readonly string _serverDir;

    private LocalCluster(string workDir, string serverDir)
    {
        WorkDir = workDir;
        _serverDir = serverDir;
    }

    public string WorkDir { get; }
    public HttpClient Api { get; private set; } = null!;
    public ChildProcess Server { get; private set; } = null!;
    public Dictionary<string, ChildProcess> Agents { get; } = [];
    public Dictionary<string, Guid> NodeIds { get; } = [];

    public static async Task<LocalCluster> StartAsync(string serverDir, string workDir, IReadOnlyList<string> agentNames, int agentMemoryMiB, IReadOnlyList<string>? serverArgs = null)
    {
        var cluster = new LocalCluster(workDir, serverDir);
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        cluster.Api = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(700) };
        cluster.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var serverData = Path.Combine(workDir, "server");
        Directory.CreateDirectory(serverData);
        cluster.Server = ChildProcess.Start("dotnet", [
            Path.Combine(serverDir, "ContinuumControl.Server.dll"),
            $"--urls={baseUrl}",
            "--Server:LocalAgents=0",
            $"--Server:DataDirectory={serverData}",
            $"--Server:BootstrapToken={AdminToken}",
            $"--Server:JoinToken={JoinToken}",
            "--Server:RegisterSamples=false",
            .. serverArgs ?? [],
        ], workDir, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, logPath: Path.Combine(workDir, "server.log"));
        cluster._processes.Add(cluster.Server);
        await cluster.WaitUntilAsync(async () => await cluster.HealthyAsync(), TimeSpan.FromSeconds(90), "the server to answer /healthz");
        foreach (var name in agentNames)
        {
            cluster.StartAgent(name, agentMemoryMiB);
        }
        await cluster.WaitUntilAsync(async () =>
        {
            var nodes = await cluster.Api.GetFromJsonAsync<List<NodeDto>>("/api/nodes");
            foreach (var n in nodes!.Where(n => n.State == NodeState.Ready))
            {
                cluster.NodeIds[n.Name] = n.Id;
            }
            return agentNames.All(cluster.NodeIds.ContainsKey);
        }, TimeSpan.FromSeconds(90), "both agents to be Ready");
        return cluster;
    }

    private Uri BaseUrl => Api.BaseAddress!;

    public void StartAgent(string name, int memoryMiB, params string[] extra)
    {
        var agent = ChildProcess.Start(RepoPaths.AgentExecutable(_serverDir), [
            $"--Agent:ServerUrl={BaseUrl}",
            $"--Agent:Name={name}",
            "--Agent:Class=Edge",
            $"--Agent:DataDirectory={Path.Combine(WorkDir, "agents", name)}",
            $"--Agent:MemoryMiB={memoryMiB}",
            .. extra,
        ], WorkDir, new Dictionary<string, string> { ["Agent__JoinToken"] = JoinToken }, logPath: Path.Combine(WorkDir, $"agent-{name}.log"));
        _processes.Add(agent);
        Agents[name] = agent;
    }

    /// <summary>SIGKILL, as in a machine loss.</summary>
    public void KillAgent(string name) => Agents[name].Dispose();

    public async Task<Guid> WaitNodeReadyAsync(string name)
    {
        Guid id = default;
        await WaitUntilAsync(async () =>
        {
            var nodes = await Api.GetFromJsonAsync<List<NodeDto>>("/api/nodes");
            var node = nodes!.FirstOrDefault(n => n.Name == name && n.State == NodeState.Ready);
            id = node?.Id ?? default;
            return node is not null;
        }, TimeSpan.FromSeconds(90), $"agent {name} to be Ready");
        return id;
    }

    public async Task<MigrationDto> GetMigrationAsync(Guid id) => (await Api.GetFromJsonAsync<MigrationDto>($"/api/migrations/{id}"))!;

    public async Task<string> UploadAsync(string name, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        using var response = await Api.PostAsync($"/api/modules?name={name}", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"upload of {name} failed: {(int)response.StatusCode} {body}");
        }
        return (await response.Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
    }

    public async Task<WorkloadDto> DeployAsync(string moduleHash, IReadOnlyList<string> args, int memoryLimitMiB, string? name = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(moduleHash, Name: name ?? $"working-set-{args[1]}MiB", Args: args, MemoryLimitMiB: memoryLimitMiB));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"deploy failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    public async Task<WorkloadDto> GetWorkloadAsync(Guid id) => (await Api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{id}"))!;

    public async Task<WorkloadDto> WaitFinishedAsync(Guid id, int timeoutSeconds)
    {
        using var response = await Api.GetAsync($"/api/workloads/{id}/wait?timeoutSeconds={timeoutSeconds}");
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new TimeoutException($"workload {id} still {workload.State} after {timeoutSeconds} s");
        }
        return workload;
    }

    public Task<byte[]> OutputAsync(Guid id) => Api.GetByteArrayAsync($"/api/workloads/{id}/output/raw?stream=stdout");

    /// <summary>Starts a migration; null with the refusal when the server answers 409 (e.g. the workload just finished).</summary>
    public async Task<(MigrationDto? Migration, string? Refusal)> MigrateAsync(Guid workloadId, Guid target, bool preCopy)
    {
        using var response = await Api.PostAsJsonAsync($"/api/workloads/{workloadId}/migrations", new StartMigrationRequest(target, preCopy));
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return (null, await response.Content.ReadAsStringAsync());
        }
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"migration request failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return ((await response.Content.ReadFromJsonAsync<MigrationDto>())!, null);
    }

    public async Task<MigrationDto> WaitMigrationAsync(Guid id, int timeoutSeconds)
    {
        using var response = await Api.GetAsync($"/api/migrations/{id}/wait?timeoutSeconds={timeoutSeconds}");
        var migration = (await response.Content.ReadFromJsonAsync<MigrationDto>())!;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new TimeoutException($"migration {id} still {migration.Phase} after {timeoutSeconds} s");
        }
        return migration;
    }

    private async Task<bool> HealthyAsync()
    {
        try
        {
            using var response = await Api.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || Server.HasExited)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; logs in {WorkDir}");
            }
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            p.Dispose();
        }
        Api?.Dispose();
        return ValueTask.CompletedTask;
    }
}
