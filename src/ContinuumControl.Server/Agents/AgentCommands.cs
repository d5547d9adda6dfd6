using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using Microsoft.AspNetCore.SignalR;

namespace ContinuumControl.Server.Agents;

/// <summary>Sends commands to the agent of a node, if it is connected; a disconnected agent catches up when it registers.</summary>
public sealed class AgentCommands(IHubContext<AgentHub, IAgentClient> hub, AgentConnections connections, ILogger<AgentCommands> logger)
{
    public Task StartAsync(Workload workload, string moduleHash) =>
        workload.NodeId is { } nodeId ? TryToNode(nodeId, c => c.StartWorkload(StartCommand(workload, moduleHash))) : Task.CompletedTask;

    public Task StopAsync(Guid nodeId, Guid workloadId, long generation, string reason) =>
        TryToNode(nodeId, c => c.StopWorkload(new StopWorkloadCommand(workloadId, generation, reason)));

    /// <summary>Sends a command to a node's agent; refuses with the reason when the agent is not connected.</summary>
    public async Task ToNode(Guid nodeId, Func<IAgentClient, Task> send)
    {
        var connection = connections.ConnectionOf(nodeId)
            ?? throw new Migrations.MigrationAbortedException($"node {nodeId} has no connected agent");
        try
        {
            // A dying connection can hold a send until its transport notices; a migration must not wait on it forever.
            await send(hub.Clients.Client(connection)).WaitAsync(SendTimeout);
        }
        catch (TimeoutException)
        {
            throw new Migrations.MigrationAbortedException($"node {nodeId} did not take the command within {SendTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Sends a command if the node's agent is connected; a disconnected agent is reconciled when it registers.</summary>
    public async Task TryToNode(Guid nodeId, Func<IAgentClient, Task> send)
    {
        if (connections.ConnectionOf(nodeId) is { } connection)
        {
            try
            {
                await send(hub.Clients.Client(connection)).WaitAsync(SendTimeout);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not reach node {Node}; it is reconciled when it registers again", nodeId);
            }
        }
    }

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    public static StartWorkloadCommand StartCommand(Workload w, string moduleHash) =>
        new(w.Id, w.Generation, moduleHash, w.Args, w.Env, w.MemoryLimitBytes);
}
