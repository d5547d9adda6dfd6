using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.Live;

namespace ContinuumControl.Server.Agents;

/// <summary>Sends commands to the agent of a node, if it is connected; a disconnected agent catches up when it registers.</summary>
public sealed class AgentCommands(IAgentClients hub, AgentConnections connections, Configuration.OrchestrationOptions orchestration, TimeProvider time, ILogger<AgentCommands> logger)
{
    public Task StartAsync(Workload workload, string moduleHash) =>
        workload.NodeId is { } nodeId ? TryToNode(nodeId, c => Launch(c, workload, moduleHash)) : Task.CompletedTask;

    /// <summary>Starts the workload on its node: from its last periodic checkpoint if it has one (it ran before, on a node since lost), else from the beginning.</summary>
    public Task Launch(IAgentClient client, Workload workload, string moduleHash) =>
        workload.CheckpointManifestJson is { } manifest
            ? client.RecoverWorkload(new RecoverWorkloadCommand(StartCommand(workload, moduleHash), manifest))
            : client.StartWorkload(StartCommand(workload, moduleHash));

    /// <summary>The command for the workload's current generation.</summary>
    public StartWorkloadCommand StartCommand(Workload workload, string moduleHash) => StartCommand(workload, moduleHash, workload.Generation);

    /// <summary>The command for <paramref name="generation"/> (a migration target runs under the next one).</summary>
    public StartWorkloadCommand StartCommand(Workload w, string moduleHash, long generation)
    {
        var nodeDown = orchestration.Policies.NodeDown;
        // The workload's own interval wins; the cluster's applies only while NodeDown recovery (its reader) is on.
        var interval = w.CheckpointIntervalSeconds is { } own ? own * 1000 : nodeDown.Enabled ? nodeDown.CheckpointIntervalSeconds * 1000 : 0;
        return new(w.Id, generation, moduleHash, w.Args, w.Env, w.MemoryLimitBytes, w.Priority, interval, OutputLimitBytes: w.OutputLimitBytes,
            CpuTimeLimitSeconds: w.CpuTimeLimitSeconds, WallClockRemainingSeconds: WallClockRemaining(w), Volumes: w.VolumeMounts());
    }

    /// <summary>
    /// The wall-clock limit counts from the first start, so every later start (a move, a recovery) carries what is left;
    /// at least a millisecond, so a workload already past its limit fails at once rather than running without one.
    /// </summary>
    private double? WallClockRemaining(Workload w)
    {
        if (w.WallClockLimitSeconds is not { } limit)
        {
            return null;
        }
        var used = w.StartedAt is { } started ? (time.GetUtcNow() - started).TotalSeconds : 0;
        return Math.Max(0.001, limit - used);
    }

    public Task StopAsync(Guid nodeId, Guid workloadId, long generation, string reason) =>
        TryToNode(nodeId, c => c.StopWorkload(new StopWorkloadCommand(workloadId, generation, reason)));

    /// <summary>Sends a command to a node's agent; throws <see cref="AgentUnreachableException"/> with the reason when it cannot.</summary>
    public async Task ToNode(Guid nodeId, Func<IAgentClient, Task> send)
    {
        var connection = connections.ConnectionOf(nodeId)
            ?? throw new AgentUnreachableException($"node {nodeId} has no connected agent");
        try
        {
            // A dying connection can hold a send until its transport notices; a migration must not wait on it forever.
            await send(hub.Client(connection)).WaitAsync(SendTimeout);
        }
        catch (TimeoutException)
        {
            throw new AgentUnreachableException($"node {nodeId} did not take the command within {SendTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Sends a command if the node's agent is connected; a disconnected agent is reconciled when it registers.</summary>
    public async Task TryToNode(Guid nodeId, Func<IAgentClient, Task> send)
    {
        if (connections.ConnectionOf(nodeId) is { } connection)
        {
            try
            {
                await send(hub.Client(connection)).WaitAsync(SendTimeout);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not reach node {Node}; it is reconciled when it registers again", nodeId);
            }
        }
    }

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);
}
