using System.Globalization;
using ContinuumControl.Server.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ContinuumControl.Server.Security;

/// <summary>
/// A dashboard cookie lives only as long as the API token it was signed in with: each request re-checks the token when
/// the last check is older than <see cref="ServerOptions.SessionCheckSeconds"/> (and at once after a revocation this
/// process saw), and a revoked token's cookie is rejected and cleared.
/// </summary>
public static class SessionValidation
{
    private const string CheckedAtKey = "cc.checked";

    public static void MarkChecked(AuthenticationProperties properties, DateTimeOffset now) =>
        properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var lookup = services.GetRequiredService<TokenLookup>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var id = context.Principal is { } user ? ScopeCheck.TokenId(user) : null;
        if (id is { } known && !lookup.IsKnownRevoked(known) && CheckedAt(context.Properties) is { } at
            && now - at < services.GetRequiredService<ServerOptions>().SessionCheck)
        {
            return;
        }
        if (id is null || await lookup.FindAsync(id.Value, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }
        MarkChecked(context.Properties, now);
        context.ShouldRenew = true;
    }

    private static DateTimeOffset? CheckedAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(CheckedAtKey, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
