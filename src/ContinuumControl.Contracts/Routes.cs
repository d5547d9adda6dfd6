namespace ContinuumControl.Contracts;

/// <summary>Paths shared by the server, the agent and clients.</summary>
public static class Routes
{
    public const string AgentHub = "/hubs/agent";

    /// <summary>Module download for agents, authenticated with their node credential.</summary>
    public const string AgentModule = "/api/agent/modules/{hash}";

    public const string Health = "/healthz";

    /// <summary>The control plane's metrics in the Prometheus text format (read scope).</summary>
    public const string Metrics = "/metrics";

    /// <summary>Checkpoint chunks in the control plane's store, for agents (node credential).</summary>
    public const string AgentChunk = "/api/agent/chunks/{hash}";

    public static string AgentChunkFor(string hash) => $"/api/agent/chunks/{hash}";

    public static string AgentModuleFor(string hash) => $"/api/agent/modules/{hash}";
}
