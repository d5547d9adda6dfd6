namespace ContinuumControl.Domain.Nodes;

/// <summary>
/// A node's own secret, issued at its first registration (the join token only bootstraps). Only its SHA-256 is stored;
/// while it exists, no one else can register under the node's name.
/// </summary>
public sealed class NodeCredential
{
    public Guid Id { get; set; }
    public Guid NodeId { get; set; }
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the secret was last replaced by a rotation; null while it is the one issued at registration.</summary>
    public DateTimeOffset? RotatedAt { get; set; }
}
