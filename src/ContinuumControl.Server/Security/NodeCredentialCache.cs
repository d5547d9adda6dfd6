using System.Collections.Concurrent;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Looks up node credentials by hash. Only hits are remembered (at most one entry per node, so the cache stays as small
/// as the cluster), briefly, and rotation and revocation drop them at once.
/// </summary>
public sealed class NodeCredentialCache(IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (NodeIdentity Identity, DateTimeOffset Expires)> _cache = new();

    public async Task<NodeIdentity?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = TokenHasher.Hash(secret);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Expires > now)
        {
            return hit.Identity;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var identity = await db.NodeCredentials.AsNoTracking()
            .Where(c => c.SecretHash == hash)
            .Join(db.Nodes, c => c.NodeId, n => n.Id, (c, n) => new NodeIdentity(c.Id, n.Id, n.Name))
            .FirstOrDefaultAsync(cancellationToken);
        if (identity is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }
        // A node has one credential: forget the entry of its previous secret, if any, so entries never pile up.
        foreach (var stale in _cache.Where(e => e.Value.Identity.NodeId == identity.NodeId && e.Key != hash))
        {
            _cache.TryRemove(stale.Key, out _);
        }
        _cache[hash] = (identity, now + Lifetime);
        return identity;
    }

    /// <summary>Forgets every answer about <paramref name="nodeId"/> (its credential was rotated or revoked).</summary>
    public void Forget(Guid nodeId)
    {
        foreach (var entry in _cache.Where(e => e.Value.Identity.NodeId == nodeId))
        {
            _cache.TryRemove(entry.Key, out _);
        }
    }
}

/// <summary>The node a valid credential belongs to.</summary>
public sealed record NodeIdentity(Guid CredentialId, Guid NodeId, string NodeName);
