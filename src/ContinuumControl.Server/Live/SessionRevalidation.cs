using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace ContinuumControl.Server.Live;

/// <summary>
/// A dashboard circuit outlives the request that opened it, so the cookie check alone would let a revoked token's open
/// page work on: every <see cref="ServerOptions.SessionCheckSeconds"/> the circuit re-checks its token, and once it is
/// gone the circuit's user becomes anonymous and the dashboard sends the page to the sign-in form.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, TokenLookup tokens, ServerOptions options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.SessionCheck;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        ScopeCheck.TokenId(authenticationState.User) is { } id && await tokens.FindAsync(id, cancellationToken) is not null;
}
