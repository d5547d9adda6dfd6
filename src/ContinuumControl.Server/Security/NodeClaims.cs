using System.Security.Claims;

namespace ContinuumControl.Server.Security;

/// <summary>Claims of an agent's principal.</summary>
public static class NodeClaims
{
    /// <summary>The node a credential belongs to.</summary>
    public const string NodeId = "continuum.node";

    public const string CredentialId = "continuum.node-credential";

    /// <summary>Present when the agent connected with the join token: it may only register a node no credential holds.</summary>
    public const string Joining = "continuum.joining";

    /// <summary>The node the caller authenticated as with its credential; null for the join token.</summary>
    public static Guid? NodeOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(NodeId)?.Value, out var id) ? id : null;
}
