namespace ContinuumControl.Server.Security;

/// <summary>Authentication scheme and policy names.</summary>
public static class AuthSchemes
{
    public const string ApiToken = "ApiToken";
    /// <summary>Agents: the join token or a node credential (<see cref="AgentAuthenticationHandler"/>).</summary>
    public const string JoinToken = "JoinToken";
    public const string Cookie = "Cookies";

    /// <summary>Bearer header when present, otherwise the dashboard cookie.</summary>
    public const string ApiOrCookie = "ApiOrCookie";

    public const string ReadPolicy = "read";
    /// <summary>The write scope; the dashboard asks for it by this name to hide what a read-only user may not do.</summary>
    public const string WritePolicy = Dashboard.DashboardPolicies.Change;
    public const string AdminPolicy = "admin";
    /// <summary>The agent hub: a node credential, or the join token to register a new node.</summary>
    public const string AgentPolicy = "agent";

    /// <summary>Agent endpoints that serve one node's data (modules, chunks): a node credential only.</summary>
    public const string NodePolicy = "node";
}
