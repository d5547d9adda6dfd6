using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace ContinuumControl.Server.Security;

/// <summary>API tokens for REST clients, node credentials (and, to register, the join token) for agents, a cookie for dashboard users.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddControlPlaneAuth(this IServiceCollection services, CookieSecurePolicy secureCookies)
    {
        services.AddSingleton<ApiTokenCache>();
        services.AddSingleton<TokenLookup>();
        services.AddSingleton<ServerSecrets>();
        services.AddSingleton<NodeCredentialCache>();
        services.AddAuthentication(AuthSchemes.ApiOrCookie)
            .AddPolicyScheme(AuthSchemes.ApiOrCookie, "API token or cookie", o =>
                o.ForwardDefaultSelector = ctx => BearerToken.From(ctx.Request) is null ? AuthSchemes.Cookie : AuthSchemes.ApiToken)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, null)
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AuthSchemes.JoinToken, null)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = "continuum.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = secureCookies;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
                // API callers get a 401 they can act on, never a redirect to an HTML page.
                o.Events.OnRedirectToLogin = ctx => IsApi(ctx.Request)
                    ? AuthProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                        "Send a valid API token as 'Authorization: Bearer <token>'.")
                    : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => AuthProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden,
                    "Missing scope", "Your token lacks the scope this action needs.");
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthSchemes.ReadPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.ApiOrCookie).RequireClaim(Scopes.ClaimType, Scopes.Read))
            .AddPolicy(AuthSchemes.WritePolicy, p => p.AddAuthenticationSchemes(AuthSchemes.ApiOrCookie).RequireClaim(Scopes.ClaimType, Scopes.Write))
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.ApiOrCookie).RequireClaim(Scopes.ClaimType, Scopes.Admin))
            .AddPolicy(AuthSchemes.AgentPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.JoinToken).RequireAuthenticatedUser())
            .AddPolicy(AuthSchemes.NodePolicy, p => p.AddAuthenticationSchemes(AuthSchemes.JoinToken).RequireClaim(NodeClaims.NodeId))
            // Closed by default: an endpoint that names no policy (or forgets to) still needs a signed-in user; the
            // few public ones (health, sign-in, static files, the API description) say AllowAnonymous.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AuthSchemes.ApiOrCookie).RequireAuthenticatedUser().Build());
        return services;
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments(Contracts.Routes.Metrics);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
