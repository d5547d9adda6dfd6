using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace ContinuumControl.Server.Security;

/// <summary>Dashboard sign-in with an API token, and sign-out.</summary>
public static class LoginApi
{
    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/login", LoginAsync).AllowAnonymous().RequireRateLimiting(RateLimitSetup.LoginPolicy).ExcludeFromDescription();
        // Open so a session whose token was revoked can still clear its cookie.
        app.MapPost("/auth/logout", LogoutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromForm] string? token, [FromForm] string? returnUrl, ApiTokenCache tokens, TimeProvider time)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var identity = string.IsNullOrWhiteSpace(token) ? null : await tokens.FindAsync(token.Trim(), context.RequestAborted);
        if (identity is null)
        {
            var error = string.IsNullOrWhiteSpace(token) ? "Enter an API token." : "That token is not valid. Use the bootstrap token the server printed (also in data/bootstrap-token) or one created with POST /api/tokens.";
            return Results.Redirect($"/login?error={Uri.EscapeDataString(error)}&ReturnUrl={Uri.EscapeDataString(target)}");
        }
        var properties = new AuthenticationProperties();
        SessionValidation.MarkChecked(properties, time.GetUtcNow());
        await context.SignInAsync(AuthSchemes.Cookie, ApiTokenAuthenticationHandler.Principal(identity, AuthSchemes.Cookie), properties);
        return Results.Redirect(target);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.SignOutAsync(AuthSchemes.Cookie);
        return Results.Redirect("/login");
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
