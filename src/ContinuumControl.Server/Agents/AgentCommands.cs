using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using Microsoft.AspNetCore.SignalR;

namespace ContinuumControl.Server.Agents;

/// <summary>Sends commands to the agent of a node, if it is connected; a disconnected agent catches up when it registers.</summary>
public sealed class AgentCommands(IHubContext<AgentHub, IAgentClient> hub, AgentConnections connections, ILogger<AgentCommands> logger)
{
    public async Task StartAsync(Workload workload)
    {
        if (workload.NodeId is not { } nodeId || connections.ConnectionOf(nodeId) is not { } connection)
        {
            return;
        }
        try
        {
            await hub.Clients.Client(connection).StartWorkload(StartCommand(workload));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not send StartWorkload for {Workload}; the agent gets it again when it re-registers", workload.Id);
        }
    }

    public async Task StopAsync(Guid nodeId, Guid workloadId, long generation, string reason)
    {
        if (connections.ConnectionOf(nodeId) is not { } connection)
        {
            return;
        }
        try
        {
            await hub.Clients.Client(connection).StopWorkload(new StopWorkloadCommand(workloadId, generation, reason));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not send StopWorkload for {Workload}; reconciliation stops it when the agent re-registers", workloadId);
        }
    }

    public static StartWorkloadCommand StartCommand(Workload w) =>
        new(w.Id, w.Generation, w.ModuleHash, w.Args, w.Env, w.MemoryLimitBytes);
}
