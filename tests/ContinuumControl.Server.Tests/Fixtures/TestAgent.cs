using System.Threading.Channels;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>
/// A scripted agent speaking the real hub protocol over a real SignalR connection, for API tests that need exact
/// control of what an agent reports. The end-to-end tests use real agent processes instead.
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly ControlPlaneFactory _factory;

    private TestAgent(HubConnection hub, ControlPlaneFactory factory, string name)
    {
        _hub = hub;
        _factory = factory;
        Name = name;
    }

    public string Name { get; }

    /// <summary>This node's credential (null until it registered once).</summary>
    public string? Credential => _factory.NodeCredentials.GetValueOrDefault(Name);

    /// <summary>An HTTP client for the agent endpoints (modules, chunks), authenticated as this node.</summary>
    public HttpClient CreateHttpClient() => _factory.CreateApiClient(Credential ?? throw new InvalidOperationException($"{Name} has no node credential yet"));

    public Channel<StartWorkloadCommand> Starts { get; } = Channel.CreateUnbounded<StartWorkloadCommand>();
    public Channel<StopWorkloadCommand> Stops { get; } = Channel.CreateUnbounded<StopWorkloadCommand>();
    public Channel<RecoverWorkloadCommand> Recovers { get; } = Channel.CreateUnbounded<RecoverWorkloadCommand>();
    public Channel<WorkloadRef> Discards { get; } = Channel.CreateUnbounded<WorkloadRef>();
    public Channel<PrepareMigrationCommand> Prepares { get; } = Channel.CreateUnbounded<PrepareMigrationCommand>();
    public Channel<CheckpointWorkloadCommand> Checkpoints { get; } = Channel.CreateUnbounded<CheckpointWorkloadCommand>();
    public Channel<RestoreWorkloadCommand> Restores { get; } = Channel.CreateUnbounded<RestoreWorkloadCommand>();
    public Channel<WorkloadRef> Resumes { get; } = Channel.CreateUnbounded<WorkloadRef>();
    public Guid NodeId { get; private set; }
    public HubConnection Hub => _hub;

    public static HubConnection Connect(ControlPlaneFactory factory, string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.TestServer.BaseAddress, Routes.AgentHub), o =>
            {
                o.HttpMessageHandlerFactory = _ => factory.TestServer.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(token);
            })
            .Build();

    /// <summary>
    /// Connects and registers as <paramref name="name"/>: with the node credential it received when it first joined
    /// under that name (kept in <see cref="ControlPlaneFactory.NodeCredentials"/>), else with the join token.
    /// <paramref name="token"/> overrides what it connects with (a rogue agent's join token, a revoked credential).
    /// </summary>
    public static async Task<TestAgent> JoinAsync(ControlPlaneFactory factory, string name, string nodeClass = "Edge", long memoryMiB = 1024,
        IReadOnlyDictionary<string, string>? labels = null, IReadOnlyList<RunningWorkload>? running = null, string? token = null)
    {
        var agent = await ConnectAsync(factory, name, token);
        var result = await agent.RegisterAsync(Descriptor(name, nodeClass, memoryMiB, labels), running ?? []);
        agent.NodeId = result.NodeId;
        if (result.NodeCredential is { } issued)
        {
            factory.NodeCredentials[name] = issued;
        }
        return agent;
    }

    /// <summary>Connects (without registering) as the agent of <paramref name="name"/> would; see <see cref="JoinAsync"/>.</summary>
    public static async Task<TestAgent> ConnectAsync(ControlPlaneFactory factory, string name, string? token = null)
    {
        var agent = new TestAgent(Connect(factory, token ?? factory.NodeCredentials.GetValueOrDefault(name) ?? ControlPlaneFactory.JoinToken), factory, name);
        agent._hub.On<RotateCredentialCommand, bool>(nameof(IAgentClient.RotateCredential), c =>
        {
            factory.NodeCredentials[name] = c.NodeCredential;
            return true;
        });
        agent._hub.On<StartWorkloadCommand>(nameof(IAgentClient.StartWorkload), c => agent.Starts.Writer.TryWrite(c));
        agent._hub.On<StopWorkloadCommand>(nameof(IAgentClient.StopWorkload), c => agent.Stops.Writer.TryWrite(c));
        agent._hub.On<RecoverWorkloadCommand>(nameof(IAgentClient.RecoverWorkload), c => agent.Recovers.Writer.TryWrite(c));
        agent._hub.On<WorkloadRef>(nameof(IAgentClient.DiscardWorkload), c => agent.Discards.Writer.TryWrite(c));
        agent._hub.On<PrepareMigrationCommand>(nameof(IAgentClient.PrepareMigration), c => agent.Prepares.Writer.TryWrite(c));
        agent._hub.On<CheckpointWorkloadCommand>(nameof(IAgentClient.CheckpointWorkload), c => agent.Checkpoints.Writer.TryWrite(c));
        agent._hub.On<RestoreWorkloadCommand>(nameof(IAgentClient.RestoreWorkload), c => agent.Restores.Writer.TryWrite(c));
        agent._hub.On<WorkloadRef>(nameof(IAgentClient.ResumeWorkload), c => agent.Resumes.Writer.TryWrite(c));
        await agent._hub.StartAsync();
        return agent;
    }

    public static NodeDescriptor Descriptor(string name, string nodeClass = "Edge", long memoryMiB = 1024, IReadOnlyDictionary<string, string>? labels = null) =>
        new(name, nodeClass, "x64", 2, memoryMiB * 1024 * 1024, labels ?? new Dictionary<string, string>(), ["wasi_snapshot_preview1", "continuum"], "test");

    public Task<RegisterResult> RegisterAsync(NodeDescriptor descriptor, IReadOnlyList<RunningWorkload> running) =>
        _hub.InvokeAsync<RegisterResult>(nameof(IAgentHub.Register), new RegisterRequest(descriptor, running));

    public Task<HeartbeatAck> HeartbeatAsync(EnergyReport? energy = null) =>
        _hub.InvokeAsync<HeartbeatAck>(nameof(IAgentHub.Heartbeat), new Heartbeat(NodeId, 12.5, 1024, 0, 0, Energy: energy));

    public Task ReportAsync(Guid workloadId, long generation, WorkloadState state, int? exitCode = null, string? reason = null) =>
        _hub.InvokeAsync(nameof(IAgentHub.ReportStatus), new WorkloadStatusReport(workloadId, generation, state, exitCode, reason));

    public Task AppendAsync(Guid workloadId, long generation, long offset, string text, string stream = "stdout") =>
        _hub.InvokeAsync(nameof(IAgentHub.AppendOutput), new OutputAppend(workloadId, generation, stream, offset, System.Text.Encoding.UTF8.GetBytes(text)));

    public Task<CheckpointAck> CheckpointAsync(Guid workloadId, long generation, string manifestJson) =>
        _hub.InvokeAsync<CheckpointAck>(nameof(IAgentHub.ReportCheckpoint), new CheckpointReport(workloadId, generation, manifestJson, DateTimeOffset.UtcNow, 4096));

    public Task ReportMigrationAsync(Guid migrationId, MigrationReportKind kind, string? manifestJson = null, byte[]? inlineChunks = null) =>
        _hub.InvokeAsync(nameof(IAgentHub.ReportMigration), new MigrationReport(migrationId, kind, manifestJson, inlineChunks?.Length ?? 0, DateTimeOffset.UtcNow, null, inlineChunks));

    public static Task<T> NextAsync<T>(Channel<T> channel, int timeoutSeconds = 10) => Next(channel, timeoutSeconds);

    public Task RequestOffloadAsync(Guid workloadId, long generation, string reason) =>
        _hub.InvokeAsync(nameof(IAgentHub.RequestOffload), new OffloadRequest(workloadId, generation, reason));

    public Task<StartWorkloadCommand> NextStartAsync(int timeoutSeconds = 10) => Next(Starts, timeoutSeconds);

    public Task<RecoverWorkloadCommand> NextRecoverAsync(int timeoutSeconds = 10) => Next(Recovers, timeoutSeconds);

    public Task<WorkloadRef> NextDiscardAsync(int timeoutSeconds = 10) => Next(Discards, timeoutSeconds);

    private static async Task<T> Next<T>(Channel<T> channel, int timeoutSeconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await channel.Reader.ReadAsync(timeout.Token);
    }

    private CancellationTokenSource? _keepAlive;

    /// <summary>Heartbeats every 500 ms until disposed, so the node stays Ready past its TTL.</summary>
    public void KeepAlive()
    {
        _keepAlive = new CancellationTokenSource();
        var token = _keepAlive.Token;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await HeartbeatAsync();
                    await Task.Delay(500, token);
                }
                catch (Exception) when (token.IsCancellationRequested || _hub.State != HubConnectionState.Connected)
                {
                    return;
                }
            }
        }, token);
    }

    public async ValueTask DisposeAsync()
    {
        _keepAlive?.Cancel();
        await _hub.DisposeAsync();
    }
}
