using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Whether a signed-in session's token still exists, read from the database each time (no cache): sessions ask at most
/// every <see cref="Configuration.ServerOptions.SessionCheckSeconds"/> and before each dashboard action, so a revoked
/// token stops working there at once and ends its sessions within that interval.
/// </summary>
public sealed class TokenLookup(IDbContextFactory<ControlPlaneDbContext> dbFactory)
{
    // Revocations seen by this process end its sessions on their next request, before the periodic database check.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _revoked = new();

    public void MarkRevoked(Guid id) => _revoked[id] = true;

    public bool IsKnownRevoked(Guid id) => _revoked.ContainsKey(id);

    public async Task<TokenIdentity?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        if (IsKnownRevoked(id))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return row is null ? null : new TokenIdentity(row.Id, row.Name, row.Scopes);
    }
}
