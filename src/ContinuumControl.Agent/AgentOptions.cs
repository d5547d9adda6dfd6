using ContinuumControl.Agent.Energy;
using ContinuumControl.Agent.Scheduling;

namespace ContinuumControl.Agent;

/// <summary>Settings of a node agent (section "Agent"; also from CONTINUUM_AGENT_* variables and --Agent:Key=value).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    public string ServerUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The cluster's join token: registers this node the first time; then the node's own credential (data directory) is used.</summary>
    public string JoinToken { get; set; } = "";

    /// <summary>Unique node name; defaults to the host name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Edge or Cloud.</summary>
    public string Class { get; set; } = "Edge";

    /// <summary>Memory offered to workloads; 0 means the machine's available memory.</summary>
    public int MemoryMiB { get; set; }

    /// <summary>Cores offered; 0 means all.</summary>
    public int Cores { get; set; }

    /// <summary>Workloads the local scheduler runs at once; 0 means one per offered core (<see cref="Cores"/>, else all).</summary>
    public int Slots { get; set; }

    public string DataDirectory { get; set; } = "agent-data";

    public Dictionary<string, string> Labels { get; set; } = new();

    /// <summary>
    /// Directories this node offers workloads, by volume name (Agent:Volumes:data=/srv/data). A workload that mounts a
    /// volume is placed only on nodes offering it; for a move to keep its files, the directory must be shared storage.
    /// </summary>
    public Dictionary<string, string> Volumes { get; set; } = new();

    /// <summary>Each volume's directory as an absolute path.</summary>
    public IReadOnlyDictionary<string, string> VolumeDirectories => Volumes.ToDictionary(v => v.Key, v => Path.GetFullPath(v.Value), StringComparer.Ordinal);

    /// <summary>
    /// Seconds a workload may go without reaching a safe point once told to stop (or past a limit) before the engine
    /// kills it; 0 (default) turns the engine backstop off. On, every workload on this node runs with Wasmtime's epoch
    /// interruption, which cost 1.2-1.9x on compute kernels here (docs/benchmarks.md): for nodes that run code nobody
    /// vetted, where a stop must hold even if instrumentation missed a loop.
    /// </summary>
    public double EngineBackstopSeconds { get; set; }

    /// <summary>How often output is sent to the server at most.</summary>
    public int OutputFlushMilliseconds { get; set; } = 100;

    /// <summary>Delays injected into migration steps, for failure tests (kill a node in a known phase). Zero in production.</summary>
    public FaultInjectionOptions Faults { get; set; } = new();

    /// <summary>The local scheduler (section Agent:Scheduler).</summary>
    public LocalSchedulerOptions Scheduler { get; set; } = new();

    /// <summary>How much the outbox holds during a partition (section Agent:Outbox).</summary>
    public Connection.OutboxOptions Outbox { get; set; } = new();

    /// <summary>Simulated energy harvesting (section Agent:Energy); off by default.</summary>
    public EnergySupplyOptions Energy { get; set; } = new();

    public string NodeName => string.IsNullOrWhiteSpace(Name) ? Environment.MachineName.ToLowerInvariant() : Name;

    public int OfferedCores => Cores > 0 ? Cores : Environment.ProcessorCount;

    public long OfferedMemoryBytes => MemoryMiB > 0 ? MemoryMiB * 1024L * 1024L : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public int OfferedSlots => Slots > 0 ? Slots : OfferedCores;

    /// <summary>Every problem with the settings, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(ServerUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            problems.Add($"Agent:ServerUrl '{ServerUrl}' must be an http(s) URL such as http://controlplane:5080");
        }
        // Only a node's first registration needs the join token; afterwards the agent connects with its own credential.
        if (string.IsNullOrWhiteSpace(JoinToken) && !File.Exists(Path.Combine(Path.GetFullPath(DataDirectory), Connection.NodeCredentialFile.FileName)))
        {
            problems.Add("Agent:JoinToken is empty and this node has no credential yet (no node-credential in the data directory); copy the join token from the server's data/join-token (or Server:JoinToken)");
        }
        if (!Class.Equals("Edge", StringComparison.OrdinalIgnoreCase) && !Class.Equals("Cloud", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Agent:Class '{Class}' must be Edge or Cloud");
        }
        if (MemoryMiB < 0 || Cores < 0)
        {
            problems.Add("Agent:MemoryMiB and Agent:Cores must be zero (all) or positive");
        }
        if (Slots < 0)
        {
            problems.Add($"Agent:Slots is {Slots}; it must be zero (one per core) or positive");
        }
        if (Scheduler.OffloadAfterMs < 0)
        {
            problems.Add($"Agent:Scheduler:OffloadAfterMs is {Scheduler.OffloadAfterMs}; it must be zero (never ask) or a positive number of milliseconds");
        }
        foreach (var (name, directory) in Volumes)
        {
            if (!Domain.Nodes.NodeVolumes.IsValidName(name))
            {
                problems.Add($"Agent:Volumes:{name} is not a volume name; use 1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
            }
            else if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            {
                problems.Add($"Agent:Volumes:{name} is '{directory}', which is not an existing directory; create it or point the volume at one");
            }
        }
        if (EngineBackstopSeconds != 0 && !(EngineBackstopSeconds is >= 0.1 and <= 3600))
        {
            problems.Add($"Agent:EngineBackstopSeconds is {EngineBackstopSeconds}; it must be 0 (off) or 0.1..3600 seconds");
        }
        problems.AddRange(Energy.Validate());
        return problems;
    }
}

/// <summary>Test-only pauses before migration steps (section Agent:Faults).</summary>
public sealed class FaultInjectionOptions
{
    /// <summary>Target: wait before preparing (holds the migration in Preparing).</summary>
    public int DelayPrepareMs { get; set; }

    /// <summary>Source: wait before the final (pausing) checkpoint (holds the migration in Checkpointing).</summary>
    public int DelayCheckpointMs { get; set; }

    /// <summary>Target: wait before fetching chunks (holds it in Transferring).</summary>
    public int DelayFetchMs { get; set; }

    /// <summary>Target: wait before restoring (holds it in Restoring).</summary>
    public int DelayRestoreMs { get; set; }
}
