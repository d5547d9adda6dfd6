using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.EndToEnd.Tests.Cluster;

/// <summary>A real control plane process and real agent processes talking over loopback.</summary>
public class LocalCluster : IAsyncLifetime
{
    public const string AdminToken = "cc_e2e-admin-token";
    public const string JoinToken = "ccj_e2e-join-token";
    public const int HeartbeatTtlSeconds = 3;

    private readonly Dictionary<string, (string Class, ChildProcess Process)> _agents = new();
    private ChildProcess? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cc-e2e", Guid.NewGuid().ToString("N"));
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Agents to start with the cluster: name and class.</summary>
    protected virtual IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-e2e", "Edge"), ("cloud-e2e", "Cloud")];

    /// <summary>
    /// Extra server settings. By default the policies that move work on their own (Rebalance, Offload, EnergyLow) are
    /// off, so a test's migrations are the ones it asked for; orchestration tests switch on what they exercise.
    /// </summary>
    protected virtual IReadOnlyList<string> ServerArgs =>
        ["--Orchestration:Policies:Rebalance:Enabled=false", "--Orchestration:Policies:Offload:Enabled=false", "--Orchestration:Policies:EnergyLow:Enabled=false"];

    /// <summary>Extra settings for one initial agent (slots, energy model, ...).</summary>
    protected virtual IReadOnlyList<string> AgentArgs(string name) => [];

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Api = new HttpClient(new NamedTimeouts(Diagnostics)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        try
        {
            StartServer();
            await WaitUntilAsync(async () => (await TryGetAsync("/healthz")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the server to answer /healthz");
            foreach (var (name, nodeClass) in InitialAgents)
            {
                StartAgent(name, nodeClass, [.. AgentArgs(name)]);
            }
            foreach (var (name, _) in InitialAgents)
            {
                await WaitForNodeAsync(name, NodeState.Ready);
            }
        }
        catch
        {
            // xUnit does not dispose a fixture whose start failed: its processes would outlive the test run.
            await DisposeAsync();
            throw;
        }
    }

    private void StartServer()
    {
        _server = ChildProcess.Start("dotnet", [
            Path.Combine(RepoPaths.ServerDirectory, "ContinuumControl.Server.dll"),
            $"--urls={BaseAddress}",
            "--Server:LocalAgents=0",
            $"--Server:DataDirectory={DataDirectory}",
            $"--Server:BootstrapToken={AdminToken}",
            $"--Server:JoinToken={JoinToken}",
            $"--Server:HeartbeatTtlSeconds={HeartbeatTtlSeconds}",
            "--Server:HeartbeatGraceSeconds=1",
            $"--Runtime:InstrumentationCacheDirectory={InstrumentationCache}",
            .. ServerArgs,
        ], DataDirectory);
    }

    /// <summary>Instrumented samples are shared by every cluster of a test run, so each does not run wasm-opt again.</summary>
    private static string InstrumentationCache { get; } = Path.Combine(Path.GetTempPath(), "cc-e2e-instrumented", $"{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>SIGKILLs the control plane and starts it again on the same port and data, as after a crash.</summary>
    public async Task RestartServerAsync()
    {
        KillServer();
        await StartServerAgainAsync();
    }

    /// <summary>SIGKILLs the control plane and leaves it down (a partition, as its agents see it).</summary>
    public void KillServer() => _server?.Dispose();

    /// <summary>Starts the control plane again on the same port and data after <see cref="KillServer"/>.</summary>
    public async Task StartServerAgainAsync()
    {
        StartServer();
        await WaitUntilAsync(async () => (await TryGetAsync("/healthz")) == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the restarted server to answer /healthz");
    }

    public string AgentLog(string name) => _agents[name].Process.Log;

    /// <summary>Where the agent of <paramref name="name"/> keeps its data (its node credential among it).</summary>
    public string AgentDataDirectory(string name) => Path.Combine(DataDirectory, "agents", name);

    public void StartAgent(string name, string nodeClass, params string[] extraArgs)
    {
        var process = ChildProcess.Start(RepoPaths.AgentExecutable(RepoPaths.ServerDirectory), [
            .. extraArgs,
            $"--Agent:ServerUrl={BaseAddress}",
            $"--Agent:Name={name}",
            $"--Agent:Class={nodeClass}",
            $"--Agent:DataDirectory={AgentDataDirectory(name)}",
            "--Agent:MemoryMiB=1024",
        ], DataDirectory, new Dictionary<string, string> { ["Agent__JoinToken"] = JoinToken });
        if (_agents.TryGetValue(name, out var previous))
        {
            previous.Process.Dispose();
        }
        _agents[name] = (nodeClass, process);
    }

    public void KillAgent(string name) => _agents[name].Process.Kill();

    /// <summary>The agent's operating-system process (its CPU time shows whether a workload still burns a core).</summary>
    public System.Diagnostics.Process AgentProcess(string name) => System.Diagnostics.Process.GetProcessById(_agents[name].Process.Id);

    public async Task<NodeDto> WaitForNodeAsync(string name, NodeState state, TimeSpan? timeout = null)
    {
        NodeDto? node = null;
        await WaitUntilAsync(async () =>
        {
            var nodes = await Api.GetFromJsonAsync<List<NodeDto>>("/api/nodes");
            node = nodes!.FirstOrDefault(n => n.Name == name);
            return node?.State == state;
        }, timeout ?? TimeSpan.FromSeconds(60), $"node {name} to be {state}");
        return node!;
    }

    public async Task<WorkloadDto> DeployAsync(string moduleHash, string? nodeClass = null, IReadOnlyList<string>? args = null, int? memoryLimitMiB = null, string? priority = null)
    {
        var response = await Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(moduleHash, Args: args, Class: nodeClass, MemoryLimitMiB: memoryLimitMiB, Priority: priority));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"deploy failed: {(int)response.StatusCode} {body}{Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    public async Task<WorkloadDto> WaitFinishedAsync(Guid id, int timeoutSeconds = 90)
    {
        var response = await Api.GetAsync($"/api/workloads/{id}/wait?timeoutSeconds={timeoutSeconds}");
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"workload {id} still {workload.State} after {timeoutSeconds}s{Diagnostics()}");
        return workload;
    }

    public async Task<NodeDto> NodeAsync(string name) =>
        (await Api.GetFromJsonAsync<List<NodeDto>>("/api/nodes"))!.First(n => n.Name == name);

    /// <summary>Asks for a migration as a CI job would, and checks it was accepted.</summary>
    public async Task<MigrationDto> StartMigrationAsync(Guid workloadId, Guid? targetNodeId, bool preCopy = true)
    {
        var response = await Api.PostAsJsonAsync($"/api/workloads/{workloadId}/migrations", new StartMigrationRequest(targetNodeId, preCopy));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"migration refused: {(int)response.StatusCode} {body}{Diagnostics()}");
        return (await response.Content.ReadFromJsonAsync<MigrationDto>())!;
    }

    public async Task<MigrationDto> WaitMigrationAsync(Guid migrationId, int timeoutSeconds = 90)
    {
        var response = await Api.GetAsync($"/api/migrations/{migrationId}/wait?timeoutSeconds={timeoutSeconds}");
        var migration = (await response.Content.ReadFromJsonAsync<MigrationDto>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"migration {migrationId} still {migration.Phase} after {timeoutSeconds}s{Diagnostics()}");
        return migration;
    }

    public async Task<MigrationDto> MigrateAsync(Guid workloadId, Guid? targetNodeId, bool preCopy = true)
    {
        var started = await StartMigrationAsync(workloadId, targetNodeId, preCopy);
        return await WaitMigrationAsync(started.Id);
    }

    /// <summary>Waits until the workload has written at least <paramref name="bytes"/> of output: it runs, mid-way.</summary>
    public Task WaitForOutputAsync(Guid workloadId, int bytes) =>
        WaitUntilAsync(async () => (await OutputAsync(workloadId)).Length >= bytes, TimeSpan.FromSeconds(60), $"workload {workloadId} to write {bytes} bytes");

    public Task<WorkloadDto> WorkloadAsync(Guid id) => Api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{id}")!;

    public async Task<List<MigrationDto>> MigrationsAsync() => (await Api.GetFromJsonAsync<List<MigrationDto>>("/api/migrations"))!;

    /// <summary>Runs a policy now (as the dashboard's "Run now" does).</summary>
    /// <summary>Runs a policy now (as the dashboard's "Run now" does) and waits until that run is recorded; its result.</summary>
    public async Task<string> RunPolicyAsync(string name)
    {
        var before = (await PolicyAsync(name)).LastRunAt;
        var response = await Api.PostAsync($"/api/policies/{name}/run", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"policy {name} not run: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        PolicyDto? ran = null;
        await WaitUntilAsync(async () => (ran = await PolicyAsync(name)).LastRunAt is { } at && (before is null || at > before), TimeSpan.FromSeconds(60), $"the {name} policy's run to be recorded");
        return ran!.LastResult ?? "";
    }

    public async Task<PolicyDto> PolicyAsync(string name) =>
        (await Api.GetFromJsonAsync<List<PolicyDto>>("/api/policies"))!.Single(p => p.Name == name);

    public async Task SetNodeAsync(string name, string action)
    {
        var node = await NodeAsync(name);
        var response = await Api.PostAsync($"/api/nodes/{node.Id}/{action}", null);
        Assert.True(response.IsSuccessStatusCode, $"{action} {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Task<byte[]> OutputAsync(Guid id, string stream = "stdout") => Api.GetByteArrayAsync($"/api/workloads/{id}/output/raw?stream={stream}");

    public async Task<string> ModuleHashAsync(string name)
    {
        var modules = await Api.GetFromJsonAsync<List<ModuleDto>>("/api/modules");
        return modules!.First(m => m.Name == name).Hash;
    }

    public async Task<string> UploadAsync(string name, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var response = await Api.PostAsync($"/api/modules?name={name}", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
    }

    /// <summary>Server and agent logs, appended to assertion messages so a failure explains itself.</summary>
    public string Diagnostics() =>
        $"{Environment.NewLine}--- server log (tail) ---{Environment.NewLine}{Tail(_server?.Log)}" +
        string.Concat(_agents.Select(a => $"{Environment.NewLine}--- agent {a.Key} (tail) ---{Environment.NewLine}{Tail(a.Value.Process.Log)}"));

    private static string Tail(string? log) => log is null ? "" : log.Length > 4000 ? log[^4000..] : log;

    private async Task<HttpStatusCode?> TryGetAsync(string path)
    {
        try
        {
            return (await Api.GetAsync(path)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || _server?.HasExited == true)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds}s waiting for {what}{Diagnostics()}");
            }
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public virtual Task DisposeAsync()
    {
        foreach (var (_, (_, process)) in _agents)
        {
            process.Dispose();
        }
        _server?.Dispose();
        Api?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
