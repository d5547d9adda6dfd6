namespace ContinuumControl.Contracts.Api;

/// <summary>A node's credential as the API shows it: never its secret, which only the agent ever holds.</summary>
/// <param name="Connected">Whether the node's agent is connected now (rotation needs its live connection).</param>
public sealed record NodeCredentialDto(Guid NodeId, string NodeName, Guid CredentialId, DateTimeOffset CreatedAt, DateTimeOffset? RotatedAt, bool Connected);
