using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Nodes;

/// <summary>
/// Every node's own credential: issued at its first registration, listed, rotated over the node's live connection and
/// revoked (which disconnects the node and frees its name for a new registration with the join token).
/// </summary>
public sealed class NodeCredentials(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    NodeCredentialCache cache,
    AgentConnections connections,
    IAgentClients hub,
    TimeProvider time,
    ILogger<NodeCredentials> logger)
{
    /// <summary>Node credentials start with this, so one found in a log or a file says what it is.</summary>
    public const string Prefix = "ccn_";

    private static readonly TimeSpan RotationTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _rotations = new(1, 1);

    /// <summary>Adds a new credential for <paramref name="nodeId"/> to <paramref name="db"/> (saved with it) and returns its secret.</summary>
    public static string Issue(ControlPlaneDbContext db, Guid nodeId, DateTimeOffset now)
    {
        var secret = TokenHasher.NewToken(Prefix);
        db.NodeCredentials.Add(new NodeCredential { Id = Guid.NewGuid(), NodeId = nodeId, SecretHash = TokenHasher.Hash(secret), CreatedAt = now });
        return secret;
    }

    /// <summary>Why a join-token registration under a name that has a credential is refused, and what to do.</summary>
    public static string NameHeld(string name, Guid nodeId) =>
        $"Node name '{name}' is held by node {nodeId}'s own credential, so the join token cannot register under it. "
        + $"If this agent is that node and lost its node-credential file, revoke the node's credential (DELETE /api/nodes/{nodeId}/credential "
        + "with an admin token, or Revoke in the dashboard's node view) and start the agent again; otherwise give this agent another name (Agent:Name).";

    public async Task<List<NodeCredentialDto>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.NodeCredentials.AsNoTracking()
            .Join(db.Nodes, c => c.NodeId, n => n.Id, (c, n) => new { c, n.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => ToDto(r.c, r.Name))];
    }

    /// <summary>Deletes the node's credential and closes its connection: its agent is refused until it registers again.</summary>
    public async Task RevokeAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (node, credential) = await FindAsync(db, nodeId, cancellationToken);
        db.NodeCredentials.Remove(credential);
        await db.SaveChangesAsync(cancellationToken);
        cache.Forget(nodeId);
        var disconnected = connections.Disconnect(nodeId);
        logger.LogWarning("Revoked the credential of node {Node}{Disconnected}", node.Name, disconnected ? "; disconnected it" : "");
    }

    /// <summary>
    /// Sends the node a new credential over its live connection; once the agent says it has saved it, the new one
    /// replaces the old, which stops working. A node that is not connected, or does not confirm, keeps its old one.
    /// </summary>
    public async Task<NodeCredentialDto> RotateAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        await _rotations.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var (node, credential) = await FindAsync(db, nodeId, cancellationToken);
            var connection = connections.ConnectionOf(nodeId)
                ?? throw new RefusalException(StatusCodes.Status409Conflict, "Node not connected",
                    $"Node {node.Name} is not connected, and a rotation hands the new credential to its agent over its live connection. Rotate once it is connected, or revoke the credential instead.");
            var secret = TokenHasher.NewToken(Prefix);
            bool saved;
            try
            {
                saved = await hub.Client(connection).RotateCredential(new RotateCredentialCommand(secret)).WaitAsync(RotationTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or HubException or InvalidOperationException)
            {
                throw NotConfirmed(node.Name, ex.Message);
            }
            if (!saved)
            {
                throw NotConfirmed(node.Name, "its agent could not save it");
            }
            credential.SecretHash = TokenHasher.Hash(secret);
            credential.RotatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(CancellationToken.None);
            cache.Forget(nodeId);
            logger.LogInformation("Rotated the credential of node {Node}", node.Name);
            return ToDto(credential, node.Name);
        }
        finally
        {
            _rotations.Release();
        }
    }

    private static RefusalException NotConfirmed(string node, string why) =>
        new(StatusCodes.Status409Conflict, "Rotation not confirmed",
            $"Node {node} did not confirm the new credential ({why}); it keeps its old one. Try again, or revoke the credential.");

    private async Task<(Node Node, NodeCredential Credential)> FindAsync(ControlPlaneDbContext db, Guid nodeId, CancellationToken cancellationToken)
    {
        var node = await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Id == nodeId, cancellationToken)
            ?? throw RefusalException.NotFound("Node", nodeId);
        var credential = await db.NodeCredentials.FirstOrDefaultAsync(c => c.NodeId == nodeId, cancellationToken)
            ?? throw new RefusalException(StatusCodes.Status404NotFound, "Node has no credential",
                $"Node {node.Name} has no credential (it was revoked); its agent gets a new one when it registers again with the join token. List credentials with GET /api/nodes/credentials.");
        return (node, credential);
    }

    private NodeCredentialDto ToDto(NodeCredential c, string name) =>
        new(c.NodeId, name, c.Id, c.CreatedAt, c.RotatedAt, connections.ConnectionOf(c.NodeId) is not null);
}
