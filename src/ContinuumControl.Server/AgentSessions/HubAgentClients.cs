using ContinuumControl.Contracts.Agents;
using ContinuumControl.Server.Agents;
using Microsoft.AspNetCore.SignalR;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>The agents connected to the <see cref="AgentHub"/>, for the senders that must not know the hub.</summary>
public sealed class HubAgentClients(IHubContext<AgentHub, IAgentClient> hub) : IAgentClients
{
    public IAgentClient Client(string connectionId) => hub.Clients.Client(connectionId);
}
