using System.Net;
using System.Runtime.InteropServices;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Connection;

/// <summary>
/// The agent's link to the control plane: connects with the join token, registers (reporting what it runs, so the
/// server can reconcile), heartbeats every half TTL, re-registers when the server forgets it, reconnects with backoff.
/// </summary>
public sealed class AgentConnection : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly WorkloadHost _workloads;
    private readonly LocalSchedulerAdapter _scheduling;
    private readonly Outbox _outbox;
    private readonly ControlPlaneChunkStore _chunks;
    private readonly UsageSampler _usage = new();
    private readonly ILogger<AgentConnection> _logger;
    private readonly HubConnection _hub;
    private readonly SemaphoreSlim _registerLock = new(1, 1);
    private volatile bool _registered;
    private Guid _nodeId;
    private int _ttlMs = 10_000;

    public AgentConnection(AgentOptions options, WorkloadHost workloads, LocalSchedulerAdapter scheduling, MigrationParticipant migrations, WorkloadRecovery recovery,
        Outbox outbox, ControlPlaneChunkStore chunks, ILogger<AgentConnection> logger)
    {
        _chunks = chunks;
        _options = options;
        _workloads = workloads;
        _scheduling = scheduling;
        _outbox = outbox;
        _logger = logger;
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(options.ServerUrl), Routes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(options.JoinToken))
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .Build();
        _hub.ServerTimeout = TimeSpan.FromSeconds(30);
        _hub.On<StartWorkloadCommand>(nameof(IAgentClient.StartWorkload), workloads.Start);
        _hub.On<StopWorkloadCommand>(nameof(IAgentClient.StopWorkload), workloads.Stop);
        _hub.On<PrepareMigrationCommand>(nameof(IAgentClient.PrepareMigration), migrations.Prepare);
        _hub.On<CheckpointWorkloadCommand>(nameof(IAgentClient.CheckpointWorkload), migrations.Checkpoint);
        _hub.On<PrefetchChunksCommand>(nameof(IAgentClient.PrefetchChunks), migrations.Prefetch);
        _hub.On<RestoreWorkloadCommand>(nameof(IAgentClient.RestoreWorkload), migrations.Restore);
        _hub.On<WorkloadRef>(nameof(IAgentClient.ResumeWorkload), workload =>
        {
            // A migration was aborted, perhaps because the control plane lacked one of this agent's chunks.
            chunks.Forget();
            workloads.Resume(workload);
        });
        _hub.On<WorkloadRef>(nameof(IAgentClient.DiscardWorkload), workloads.Discard);
        _hub.On<RecoverWorkloadCommand>(nameof(IAgentClient.RecoverWorkload), recovery.Recover);
        _hub.Reconnecting += _ =>
        {
            _registered = false;
            _logger.LogWarning("Lost the control plane; reconnecting");
            return Task.CompletedTask;
        };
        _hub.Reconnected += _ => RegisterAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivery = _outbox.RunAsync(() => _registered && _hub.State == HubConnectionState.Connected ? _hub : null, stoppingToken);
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_hub.State == HubConnectionState.Disconnected)
                {
                    await _hub.StartAsync(stoppingToken);
                    await RegisterAsync(stoppingToken);
                    attempt = 0;
                }
                if (_registered)
                {
                    await HeartbeatAsync();
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(200, _ttlMs / 2)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                _logger.LogError("The control plane refused the join token (401); check Agent:JoinToken against the server's data/join-token");
                await Task.Delay(ForeverRetryPolicy.Delay(attempt++), stoppingToken);
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Control plane at {Url} not reachable ({Error}); retrying", _options.ServerUrl, ex.Message);
                await Task.Delay(ForeverRetryPolicy.Delay(attempt++), stoppingToken);
            }
        }
        await _hub.DisposeAsync();
        try
        {
            await delivery;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HeartbeatAsync()
    {
        var (cpu, memory) = _usage.Sample();
        var pressure = _scheduling.Pressure();
        var heartbeat = new Heartbeat(_nodeId, cpu, memory, pressure.SlotsUsed, pressure.Queued, pressure, _scheduling.Energy());
        var ack = await _hub.InvokeAsync<HeartbeatAck>(nameof(IAgentHub.Heartbeat), heartbeat);
        _ttlMs = ack.HeartbeatTtlMs;
        if (!ack.Known)
        {
            _logger.LogWarning("The control plane does not know this node any more; registering again");
            _registered = false;
            await RegisterAsync(CancellationToken.None);
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await _registerLock.WaitAsync(cancellationToken);
        try
        {
            // The control plane may have restarted and lost chunks it had not yet written to disk.
            _chunks.Forget();
            var result = await _hub.InvokeAsync<RegisterResult>(nameof(IAgentHub.Register), new RegisterRequest(Describe(), _workloads.Owned()), cancellationToken);
            _nodeId = result.NodeId;
            _ttlMs = result.HeartbeatTtlMs;
            var owned = _workloads.Owned();
            _workloads.Discard(result.Discard);
            foreach (var id in result.Resume ?? [])
            {
                if (owned.FirstOrDefault(o => o.WorkloadId == id) is { } paused)
                {
                    _workloads.Resume(new WorkloadRef(id, paused.Generation));
                }
            }
            _registered = true;
            _logger.LogInformation("Registered as node {Name} ({Id}) with {Url}; heartbeat TTL {Ttl} ms", _options.NodeName, _nodeId, _options.ServerUrl, _ttlMs);
        }
        finally
        {
            _registerLock.Release();
        }
    }

    private NodeDescriptor Describe()
    {
        var class_ = _options.Class.Equals("cloud", StringComparison.OrdinalIgnoreCase) ? "Cloud" : "Edge";
        return new NodeDescriptor(_options.NodeName, class_, RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), _options.OfferedCores, _options.OfferedMemoryBytes,
            _options.Labels, HostCapabilities.All, typeof(AgentConnection).Assembly.GetName().Version?.ToString() ?? "0");
    }
}
