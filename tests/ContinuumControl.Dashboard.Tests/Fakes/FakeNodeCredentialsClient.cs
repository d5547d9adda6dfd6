using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;

namespace ContinuumControl.Dashboard.Tests.Fakes;

/// <summary>Node credentials in memory; records the actions asked for and refuses what <see cref="Refuse"/> says.</summary>
public sealed class FakeNodeCredentialsClient : INodeCredentialsClient
{
    public bool Allowed { get; set; } = true;
    public List<NodeCredentialDto> Credentials { get; } = [];
    public List<(string Action, Guid NodeId)> Actions { get; } = [];
    public string? Refuse { get; set; }

    public Task<bool> IsAllowedAsync(CancellationToken cancellationToken) => Task.FromResult(Allowed);

    public Task<IReadOnlyList<NodeCredentialDto>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeCredentialDto>>([.. Credentials]);

    public Task<NodeCredentialDto> RotateAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        Actions.Add(("Rotate", nodeId));
        if (Refuse is { } why)
        {
            throw new ControlPlaneException(why);
        }
        var i = Credentials.FindIndex(c => c.NodeId == nodeId);
        Credentials[i] = Credentials[i] with { RotatedAt = DateTimeOffset.UnixEpoch.AddDays(1) };
        return Task.FromResult(Credentials[i]);
    }

    public Task RevokeAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        Actions.Add(("Revoke", nodeId));
        if (Refuse is { } why)
        {
            throw new ControlPlaneException(why);
        }
        Credentials.RemoveAll(c => c.NodeId == nodeId);
        return Task.CompletedTask;
    }
}
