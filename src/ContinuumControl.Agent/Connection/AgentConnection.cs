using System.Net;
using System.Runtime.InteropServices;
using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Runtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Connection;

/// <summary>
/// The agent's link to the control plane: connects with its node credential (with the join token until its first
/// registration hands it one), registers (reporting what it runs, so the server can reconcile), heartbeats every half
/// TTL, re-registers when the server forgets it, reconnects with backoff.
/// </summary>
public sealed class AgentConnection : BackgroundService
{
    private readonly AgentOptions _options;
    private readonly WorkloadHost _workloads;
    private readonly LocalSchedulerAdapter _scheduling;
    private readonly Outbox _outbox;
    private readonly ControlPlaneChunkStore _chunks;
    private readonly NodeCredentialFile _credential;
    private readonly UsageSampler _usage = new();
    private readonly ILogger<AgentConnection> _logger;
    private readonly HubConnection _hub;
    private readonly SemaphoreSlim _registerLock = new(1, 1);
    private volatile bool _registered;
    private volatile bool _refused;
    private Guid _nodeId;
    private int _ttlMs = 10_000;

    public AgentConnection(AgentOptions options, WorkloadHost workloads, LocalSchedulerAdapter scheduling, MigrationParticipant migrations, WorkloadRecovery recovery,
        Outbox outbox, ControlPlaneChunkStore chunks, NodeCredentialFile credential, ILogger<AgentConnection> logger)
    {
        _credential = credential;
        _chunks = chunks;
        _options = options;
        _workloads = workloads;
        _scheduling = scheduling;
        _outbox = outbox;
        _logger = logger;
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(options.ServerUrl), Routes.AgentHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(credential.Bearer))
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
        _hub.On<RotateCredentialCommand, bool>(nameof(IAgentClient.RotateCredential), Rotate);
        _hub.Reconnected += async _ =>
        {
            try
            {
                await RegisterAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Connected but not registered: the loop below drops this connection and starts over.
                LogRegisterFailure(ex);
                _refused = true;
            }
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivery = _outbox.RunAsync(() => _registered && _hub.State == HubConnectionState.Connected ? _hub : null, stoppingToken);
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_refused)
                {
                    _refused = false;
                    await _hub.StopAsync(stoppingToken);
                    await Task.Delay(ForeverRetryPolicy.Delay(attempt++), stoppingToken);
                    continue;
                }
                if (_hub.State == HubConnectionState.Disconnected)
                {
                    await _hub.StartAsync(stoppingToken);
                    try
                    {
                        await RegisterAsync(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        LogRegisterFailure(ex);
                        _refused = true;
                        continue;
                    }
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
                if (_credential.Current is not null)
                {
                    _logger.LogError("The control plane refused this node's credential (401): it was revoked, or belongs to another control plane. "
                        + "To register node {Name} again with the join token, delete {File} and restart the agent", _options.NodeName, _credential.Path);
                }
                else
                {
                    _logger.LogError("The control plane refused the join token (401); check Agent:JoinToken against the server's data/join-token");
                }
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
            if (result.NodeCredential is { } issued)
            {
                KeepIssued(issued);
            }
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

    /// <summary>A rotation: answers true once the new credential is saved (the server only then drops the old one).</summary>
    private bool Rotate(RotateCredentialCommand command)
    {
        try
        {
            _credential.Save(command.NodeCredential);
            _logger.LogInformation("Node {Name} received a rotated credential; saved in {File} (mode 0600)", _options.NodeName, _credential.Path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Could not save the rotated node credential in {File} ({Error}); the control plane keeps the old one", _credential.Path, ex.Message);
            return false;
        }
    }

    /// <summary>The credential issued at the first registration: saved, or at least kept in memory so reconnects work until a restart.</summary>
    private void KeepIssued(string credential)
    {
        try
        {
            _credential.Save(credential);
            _logger.LogInformation("Node {Name} received its own credential at its first registration; saved in {File} (mode 0600): it connects with it from now on",
                _options.NodeName, _credential.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _credential.Remember(credential);
            _logger.LogError("Could not save the node credential in {File} ({Error}). The agent keeps it in memory, but after a restart the join token "
                + "cannot register {Name} again: make the data directory writable, then revoke its credential (DELETE /api/nodes/{{id}}/credential) and restart", _credential.Path, ex.Message, _options.NodeName);
        }
    }

    private void LogRegisterFailure(Exception ex) =>
        // A HubException carries the control plane's words (for instance: the name is held by another node's credential).
        _logger.LogError("The control plane refused to register node {Name}: {Reason}", _options.NodeName,
            ex is HubException ? ex.Message : ex.GetType().Name + ": " + ex.Message);

    private NodeDescriptor Describe()
    {
        var class_ = _options.Class.Equals("cloud", StringComparison.OrdinalIgnoreCase) ? "Cloud" : "Edge";
        return new NodeDescriptor(_options.NodeName, class_, RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), _options.OfferedCores, _options.OfferedMemoryBytes,
            _options.Labels, [.. HostCapabilities.All, .. _options.Volumes.Keys.Order(StringComparer.Ordinal).Select(NodeVolumes.Capability)], typeof(AgentConnection).Assembly.GetName().Version?.ToString() ?? "0");
    }
}
