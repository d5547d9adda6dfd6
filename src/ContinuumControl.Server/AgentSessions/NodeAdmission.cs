using System.Security.Claims;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Nodes;
using ContinuumControl.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>
/// Who may register as a node: the holder of its credential, or, with the join token, anyone while no credential
/// holds the name; such a first registration issues the node's credential (returned once). A connection that already
/// registered as the node may register again (the agent does when the server forgot it).
/// </summary>
public sealed class NodeAdmission(AgentConnections connections, ILogger<NodeAdmission> logger)
{
    /// <returns>The node's row (tracked by <paramref name="db"/>, added when new) and the credential issued now, if any.</returns>
    /// <exception cref="AgentRefusedException">The caller may not register under this name.</exception>
    public async Task<(Node Row, string? Issued)> AdmitAsync(
        ControlPlaneDbContext db, ClaimsPrincipal caller, string connectionId, NodeDescriptor node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (NodeClaims.NodeOf(caller) is { } ownId)
        {
            var own = await db.Nodes.FirstOrDefaultAsync(n => n.Id == ownId, cancellationToken)
                ?? throw new AgentRefusedException("This node credential's node no longer exists; delete the agent's node-credential file and start it again to register with the join token.");
            if (own.Name != node.Name)
            {
                throw new AgentRefusedException($"This node credential belongs to node '{own.Name}', not '{node.Name}'. Set Agent:Name back to '{own.Name}', or give the new name its own data directory (the agent then registers it with the join token).");
            }
            return (own, null);
        }
        var row = await db.Nodes.FirstOrDefaultAsync(n => n.Name == node.Name, cancellationToken);
        if (row is not null && await db.NodeCredentials.AnyAsync(c => c.NodeId == row.Id, cancellationToken))
        {
            if (connections.NodeOf(connectionId) == row.Id)
            {
                return (row, null);
            }
            logger.LogWarning("Refused a registration with the join token as node {Node}: the name is held by the node's own credential", node.Name);
            throw new AgentRefusedException(NodeCredentials.NameHeld(node.Name, row.Id));
        }
        if (row is null)
        {
            row = new Node { Id = Guid.NewGuid(), Name = node.Name, Architecture = node.Architecture, RegisteredAt = now, State = NodeState.Ready };
            db.Nodes.Add(row);
        }
        return (row, NodeCredentials.Issue(db, row.Id, now));
    }
}
