using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Security;

/// <summary>Authenticates agents by the cluster's join token (header or, for WebSockets, the access_token query).</summary>
public sealed class JoinTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ServerSecrets secrets,
    AuthFailureLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request, allowQuery: true);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (!TokenHasher.FixedTimeEquals(token, secrets.JoinToken))
        {
            failures.RecordFailure(RateLimitSetup.ClientKey(Context));
            return Task.FromResult(AuthenticateResult.Fail("the join token is not valid"));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "agent")], Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            "Agent authentication required",
            "Agents must present the cluster's join token (Agent:JoinToken); the server keeps it in data/join-token or reads Server:JoinToken.");
}
