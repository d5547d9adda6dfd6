namespace ContinuumControl.Server.Configuration;

/// <summary>Settings of the control plane (section "Server").</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Where the SQLite database, modules, tokens and local agents' data live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Agents the server starts as child processes (the embedded default); 0 for none.</summary>
    public int LocalAgents { get; set; } = 2;

    public int HeartbeatTtlSeconds { get; set; } = 10;

    public int HeartbeatGraceSeconds { get; set; } = 5;

    /// <summary>
    /// Extra time agents get after a control-plane start to reconnect before their nodes can be declared Down (Nomad's
    /// failover heartbeat TTL): their reconnect backoff reaches 10 s, and a node wrongly declared Down would have its
    /// work recovered elsewhere while it still runs it.
    /// </summary>
    public int FailoverGraceSeconds { get; set; } = 30;

    /// <summary>How often absorbed heartbeats are written to the database in one batch.</summary>
    public int HeartbeatFlushMilliseconds { get; set; } = 250;

    public long MaxModuleBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Output limit (stdout and stderr together, MiB) of workloads whose deploy request names none.</summary>
    public int OutputLimitMiB { get; set; } = Workloads.WorkloadRequestValidator.DefaultOutputLimitMiB;

    /// <summary>An API token to accept; when empty the server generates one at first start.</summary>
    public string BootstrapToken { get; set; } = "";

    /// <summary>The token agents join with; when empty the server generates one and keeps it in the data directory.</summary>
    public string JoinToken { get; set; } = "";

    /// <summary>Uploads the bundled sample modules at start so a new user can deploy one right away.</summary>
    public bool RegisterSamples { get; set; } = true;

    /// <summary>
    /// How often a dashboard session (cookie or open page) re-checks that its API token still exists; a revoked
    /// token's sessions end within this time.
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 30;

    public TimeSpan SessionCheck => TimeSpan.FromSeconds(Math.Max(1, SessionCheckSeconds));

    /// <summary>Rate limits, the token cache's size and how many uploads are instrumented at once (section "Server:RateLimits").</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    public TimeSpan HeartbeatTtl => TimeSpan.FromSeconds(HeartbeatTtlSeconds);

    public TimeSpan HeartbeatGrace => TimeSpan.FromSeconds(HeartbeatGraceSeconds);

    public TimeSpan FailoverGrace => TimeSpan.FromSeconds(FailoverGraceSeconds);

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
