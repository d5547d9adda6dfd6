using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace ContinuumControl.Server.Nodes;

/// <summary>The dashboard's node credentials, with the same admin check as the REST API, made here on the server.</summary>
public sealed class NodeCredentialsClient(NodeCredentials credentials, AuthenticationStateProvider authentication) : INodeCredentialsClient
{
    public async Task<bool> IsAllowedAsync(CancellationToken cancellationToken) =>
        (await authentication.GetAuthenticationStateAsync()).User.HasClaim(Scopes.ClaimType, Scopes.Admin);

    public async Task<IReadOnlyList<NodeCredentialDto>> ListAsync(CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        return await credentials.ListAsync(cancellationToken);
    }

    public async Task<NodeCredentialDto> RotateAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        return await Refusals(() => credentials.RotateAsync(nodeId, cancellationToken));
    }

    public async Task RevokeAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        await RequireAdminAsync(cancellationToken);
        await Refusals(async () =>
        {
            await credentials.RevokeAsync(nodeId, cancellationToken);
            return true;
        });
    }

    private async Task RequireAdminAsync(CancellationToken cancellationToken)
    {
        if (!await IsAllowedAsync(cancellationToken))
        {
            throw new ControlPlaneException("Node credentials need a token with the admin scope; sign in with one.");
        }
    }

    private static async Task<T> Refusals<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (RefusalException ex)
        {
            throw new ControlPlaneException(ex.Message);
        }
    }
}
