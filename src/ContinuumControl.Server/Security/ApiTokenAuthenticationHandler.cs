using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Security;

/// <summary>Authenticates "Authorization: Bearer &lt;api token&gt;".</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenCache tokens,
    AuthFailureLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        // Agent endpoints take the join token, never an API token: looking it up as one would cost a query and count
        // every agent request as a failed token (the join-token handler counts its own failures).
        if (token is null || IsAgentOnly(Context.GetEndpoint()))
        {
            return AuthenticateResult.NoResult();
        }
        var identity = await tokens.FindAsync(token, Context.RequestAborted);
        if (identity is null)
        {
            failures.RecordFailure(RateLimitSetup.ClientKey(Context));
            return AuthenticateResult.Fail("the API token is not valid");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(identity, Scheme.Name), Scheme.Name));
    }

    private static bool IsAgentOnly(Endpoint? endpoint) =>
        endpoint?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is { Count: > 0 } policies
        && policies.All(p => p.Policy is AuthSchemes.AgentPolicy or AuthSchemes.NodePolicy);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            "Authentication required",
            "Send a valid API token as 'Authorization: Bearer <token>'. The server prints a bootstrap token at first start and saves it in data/bootstrap-token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status403Forbidden,
            "Missing scope",
            "This token lacks the scope this endpoint needs (read for GET, write for changes, admin for tokens); create a token with that scope via POST /api/tokens.");

    public static ClaimsPrincipal Principal(TokenIdentity identity, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, identity.Name), new(ClaimTypes.NameIdentifier, identity.Id.ToString()) };
        claims.AddRange(identity.Scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
