using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Server.Agents;

/// <summary>
/// Reaches the agent behind a hub connection. The agent hub's side implements it, so what sends to agents (commands,
/// credential rotation) does not depend on the hub that receives from them.
/// </summary>
public interface IAgentClients
{
    IAgentClient Client(string connectionId);
}
