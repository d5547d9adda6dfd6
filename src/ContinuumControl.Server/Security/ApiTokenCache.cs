using System.Collections.Concurrent;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Looks up API tokens by hash, remembering answers briefly so each request does not hit the database. Bounded: at
/// most <see cref="RateLimitOptions.TokenCacheEntries"/> answers are kept, and a "not valid" answer only for a few
/// seconds, so random bearer values cannot grow the server's memory (the <see cref="AuthFailureLimiter"/> bounds how
/// many of them reach the database).
/// </summary>
public sealed class ApiTokenCache(IDbContextFactory<ControlPlaneDbContext> dbFactory, ServerOptions options, TimeProvider time)
{
    private static readonly TimeSpan ValidLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NotValidLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (TokenIdentity? Identity, DateTimeOffset Expires)> _cache = new();
    private readonly Lock _trimming = new();

    /// <summary>Answers held now; never more than the configured bound.</summary>
    public int Count => _cache.Count;

    public int Capacity => Math.Max(1, options.RateLimits.TokenCacheEntries);

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
        Remember(hash, identity, now + (identity is null ? NotValidLifetime : ValidLifetime), now);
        return identity;
    }

    public void Invalidate() => _cache.Clear();

    private void Remember(string hash, TokenIdentity? identity, DateTimeOffset expires, DateTimeOffset now)
    {
        // Inserts follow a database query anyway, so one lock around them costs little and keeps the bound exact.
        lock (_trimming)
        {
            if (_cache.Count >= Capacity && !_cache.ContainsKey(hash))
            {
                Trim(now);
                if (_cache.Count >= Capacity)
                {
                    // Still full of valid tokens: answer without remembering rather than grow.
                    return;
                }
            }
            _cache[hash] = (identity, expires);
        }
    }

    /// <summary>Drops expired answers, then "not valid" ones; valid tokens go last because each costs a lookup per request.</summary>
    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.Expires <= now)
            {
                _cache.TryRemove(key, out _);
            }
        }
        if (_cache.Count < Capacity)
        {
            return;
        }
        foreach (var (key, entry) in _cache)
        {
            if (entry.Identity is null)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }
}

/// <summary>Who a valid token belongs to and what it may do.</summary>
public sealed record TokenIdentity(Guid Id, string Name, IReadOnlyList<string> Scopes);
