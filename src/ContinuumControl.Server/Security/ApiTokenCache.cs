using System.Collections.Concurrent;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>Looks up API tokens by hash, remembering answers briefly so each request does not hit the database.</summary>
public sealed class ApiTokenCache(IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TokenIdentity? Identity, DateTimeOffset Expires)> _cache = new();

    public async Task<TokenIdentity?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TokenHasher.Hash(token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Expires > now)
        {
            return hit.Identity;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        var identity = row is null ? null : new TokenIdentity(row.Id, row.Name, row.Scopes);
        _cache[hash] = (identity, now + Lifetime);
        return identity;
    }

    public void Invalidate() => _cache.Clear();
}

/// <summary>Who a valid token belongs to and what it may do.</summary>
public sealed record TokenIdentity(Guid Id, string Name, IReadOnlyList<string> Scopes);
