namespace ContinuumControl.Server.Security;

/// <summary>Authentication scheme and policy names.</summary>
public static class AuthSchemes
{
    public const string ApiToken = "ApiToken";
    public const string JoinToken = "JoinToken";
    public const string Cookie = "Cookies";

    /// <summary>Bearer header when present, otherwise the dashboard cookie.</summary>
    public const string ApiOrCookie = "ApiOrCookie";

    public const string ReadPolicy = "read";
    /// <summary>The write scope; the dashboard asks for it by this name to hide what a read-only user may not do.</summary>
    public const string WritePolicy = Dashboard.DashboardPolicies.Change;
    public const string AdminPolicy = "admin";
    public const string AgentPolicy = "agent";
}
