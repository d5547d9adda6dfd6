using System.Security.Claims;

namespace ContinuumControl.Server.Security;

/// <summary>What a signed-in principal's scope claims allow, for code that decides outside an endpoint policy.</summary>
public static class ScopeCheck
{
    public static bool Has(ClaimsPrincipal user, string scope) => user.HasClaim(Scopes.ClaimType, scope);

    /// <summary>Workload environment values are secrets to read-only tokens: only write or admin may see them.</summary>
    public static bool MaySeeSecrets(ClaimsPrincipal user) => Has(user, Scopes.Write) || Has(user, Scopes.Admin);

    /// <summary>The API token the principal signed in with (the cookie keeps its id, never the token).</summary>
    public static Guid? TokenId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
