using System.Security.Claims;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Nodes;
using ContinuumControl.Server.Recovery;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>The outcome of a registration: what the agent is told, and the work to start on it (with the module to run).</summary>
public sealed record Registration(Guid NodeId, string? IssuedCredential, ReconcileOutcome Reconciled, IReadOnlyList<(Workload Workload, string ModuleHash)> Launches);

/// <summary>
/// A node's registration: admits it (<see cref="NodeAdmission"/>), records its description, reconciles what its agent
/// runs (<see cref="Reconciliation"/>), saves all of it at once and binds the connection to the node.
/// </summary>
public sealed class NodeRegistration(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    NodeAdmission admission,
    AgentConnections connections,
    HeartbeatAbsorber absorber,
    Reconciliation reconciliation,
    RunRecovery recovery,
    ClusterEvents events,
    TimeProvider time,
    ILogger<NodeRegistration> logger)
{
    /// <param name="abortConnection">Ends the connection; called when another connection registers as the node.</param>
    /// <exception cref="AgentRefusedException">The caller may not register under the descriptor's name.</exception>
    /// <exception cref="Microsoft.AspNetCore.SignalR.HubException">The descriptor is invalid (from <see cref="NodeDescriptorValidator"/>).</exception>
    public async Task<Registration> RegisterAsync(
        ClaimsPrincipal caller, string connectionId, Action abortConnection, RegisterRequest request, CancellationToken cancellationToken)
    {
        var node = request.Node ?? throw new AgentRefusedException("Register needs a node descriptor.");
        var nodeClass = NodeDescriptorValidator.Validate(node);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (row, issued) = await admission.AdmitAsync(db, caller, connectionId, node, now, cancellationToken);
        row.Class = nodeClass;
        row.Architecture = node.Architecture;
        row.Cores = node.Cores;
        row.MemoryBytes = node.MemoryBytes;
        row.Labels = new Dictionary<string, string>(node.Labels);
        row.Capabilities = [.. node.Capabilities];
        row.AgentVersion = node.AgentVersion;
        row.MarkRegistered(now);

        var reconciled = await reconciliation.ReconcileAsync(db, row.Id, node.Name, request.Running ?? [], now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (issued is not null)
        {
            // Another join-token registration under the same name won the race for it.
            throw new AgentRefusedException(NodeCredentials.NameHeld(node.Name, row.Id));
        }
        if (reconciled.Lost > 0)
        {
            recovery.Poke();
        }
        // Bound as soon as the registration is saved, so commands for the node reach this connection.
        connections.Bind(row.Id, connectionId, abortConnection);
        absorber.Track(row.Id);
        logger.LogInformation("Node {Node} ({Class}, {Arch}) registered; {Discard} stale workloads to discard, {Resend} to start",
            node.Name, nodeClass, node.Architecture, reconciled.Discard.Count, reconciled.Resend.Count);

        await events.PublishNodesAsync(db, [row.Id], cancellationToken);
        var hashes = await db.Modules.AsNoTracking().ToDictionaryAsync(m => m.Hash, m => m.InstrumentedHash, cancellationToken);
        var launches = reconciled.Resend.Select(w => (w, hashes.GetValueOrDefault(w.ModuleHash, w.ModuleHash))).ToList();
        return new Registration(row.Id, issued, reconciled, launches);
    }
}
