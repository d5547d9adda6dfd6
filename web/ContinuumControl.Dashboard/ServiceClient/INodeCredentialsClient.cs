using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.ServiceClient;

/// <summary>
/// Node credentials for the dashboard's node view (admin only; the host checks the signed-in token's scope and refuses
/// with <see cref="ControlPlaneException"/>). Kept apart from <see cref="IControlPlaneClient"/> because only this page
/// needs it and it holds no live state: a list read on demand and two actions.
/// </summary>
public interface INodeCredentialsClient
{
    /// <summary>Whether the signed-in user may see and change node credentials (admin scope).</summary>
    Task<bool> IsAllowedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<NodeCredentialDto>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Hands the node's agent a new credential over its live connection; the old one stops working.</summary>
    Task<NodeCredentialDto> RotateAsync(Guid nodeId, CancellationToken cancellationToken);

    /// <summary>Deletes the node's credential and disconnects it.</summary>
    Task RevokeAsync(Guid nodeId, CancellationToken cancellationToken);
}
