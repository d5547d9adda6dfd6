using ContinuumControl.Domain.Security;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>Makes sure someone can log in: the configured bootstrap token, or a generated one when no token exists yet.</summary>
public static class BootstrapToken
{
    public const string FileName = "bootstrap-token";

    /// <summary>Returns the token to print at start-up, or null when tokens already existed and none is known in plain text.</summary>
    public static async Task<string?> EnsureAsync(IServiceProvider services, TimeProvider time)
    {
        var options = services.GetRequiredService<ServerOptions>();
        var factory = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var file = Path.Combine(options.FullDataDirectory, FileName);
        if (!string.IsNullOrWhiteSpace(options.BootstrapToken))
        {
            await AddIfMissingAsync(db, options.BootstrapToken, time);
            return options.BootstrapToken;
        }
        if (await db.ApiTokens.AnyAsync())
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        var token = TokenHasher.NewToken("cc_");
        await AddIfMissingAsync(db, token, time);
        SecretFile.Write(file, token);
        return token;
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
