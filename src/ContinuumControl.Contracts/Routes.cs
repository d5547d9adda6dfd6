namespace ContinuumControl.Contracts;

/// <summary>Paths shared by the server, the agent and clients.</summary>
public static class Routes
{
    public const string AgentHub = "/hubs/agent";

    /// <summary>Module download for agents, authenticated with the join token.</summary>
    public const string AgentModule = "/api/agent/modules/{hash}";

    public const string Health = "/healthz";

    public static string AgentModuleFor(string hash) => $"/api/agent/modules/{hash}";
}
