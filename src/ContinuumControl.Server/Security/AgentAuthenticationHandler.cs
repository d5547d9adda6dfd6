using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Security;

/// <summary>
/// Authenticates agents (header or, for WebSockets, the access_token query): by their node credential, or by the
/// cluster's join token, which only lets a new node register (<see cref="NodeClaims.Joining"/>).
/// </summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ServerSecrets secrets,
    NodeCredentialCache credentials,
    AuthFailureLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request, allowQuery: true);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (TokenHasher.FixedTimeEquals(token, secrets.JoinToken))
        {
            var joining = new ClaimsIdentity([new Claim(ClaimTypes.Name, "agent"), new Claim(NodeClaims.Joining, "true")], Scheme.Name);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(joining), Scheme.Name));
        }
        if (await credentials.FindAsync(token, Context.RequestAborted) is not { } node)
        {
            failures.RecordFailure(RateLimitSetup.ClientKey(Context));
            return AuthenticateResult.Fail("neither the join token nor a node credential");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, node.NodeName), new Claim(NodeClaims.NodeId, node.NodeId.ToString()), new Claim(NodeClaims.CredentialId, node.CredentialId.ToString())],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            "Agent authentication required",
            "Agents present their node credential (kept in the agent's data directory as node-credential since its first registration) "
            + "or, to register a new node, the cluster's join token (Agent:JoinToken; the server keeps it in data/join-token or reads Server:JoinToken). "
            + "A revoked node credential is refused: delete the agent's node-credential file to register it again with the join token.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status403Forbidden,
            "Node credential required",
            "The join token only registers a node; modules and checkpoint chunks are fetched with the node credential the agent received at registration.");
}
