using ContinuumControl.Domain.Security;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>Makes sure someone can log in: the configured bootstrap token, or a generated one when no token exists yet.</summary>
public static class BootstrapToken
{
    public const string FileName = "bootstrap-token";

    /// <summary>
    /// Makes sure a token exists and says how to sign in. The token itself is shown only the one time it is generated:
    /// start-up output lands in container logs, so later starts (and a configured token) name where it is instead.
    /// </summary>
    public static async Task<BootstrapSignIn> EnsureAsync(IServiceProvider services, TimeProvider time)
    {
        var options = services.GetRequiredService<ServerOptions>();
        var factory = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var file = Path.Combine(options.FullDataDirectory, FileName);
        if (!string.IsNullOrWhiteSpace(options.BootstrapToken))
        {
            await AddIfMissingAsync(db, options.BootstrapToken, time);
            return new BootstrapSignIn(null, "the token configured as Server:BootstrapToken");
        }
        if (await db.ApiTokens.AnyAsync())
        {
            return new BootstrapSignIn(null, File.Exists(file)
                ? $"the bootstrap token saved in {file} (shown only at its creation)"
                : "an existing API token (an admin creates more with POST /api/tokens)");
        }
        var token = TokenHasher.NewToken("cc_");
        await AddIfMissingAsync(db, token, time);
        SecretFile.Write(file, token);
        return new BootstrapSignIn(token, $"saved in {file}; it is shown only this once");
    }

    private static async Task AddIfMissingAsync(ControlPlaneDbContext db, string token, TimeProvider time)
    {
        var hash = TokenHasher.Hash(token);
        if (await db.ApiTokens.AnyAsync(t => t.TokenHash == hash))
        {
            return;
        }
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.NewGuid(),
            Name = "bootstrap",
            TokenHash = hash,
            Scopes = [.. Scopes.All],
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }
}

/// <summary>How a new user signs in: <paramref name="NewToken"/> only when it was generated at this start.</summary>
public sealed record BootstrapSignIn(string? NewToken, string Where);
