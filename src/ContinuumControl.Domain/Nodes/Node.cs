namespace ContinuumControl.Domain.Nodes;

/// <summary>A machine running an agent: what it offers and how it is doing.</summary>
public sealed class Node
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public NodeClass Class { get; set; }
    public required string Architecture { get; set; }
    public int Cores { get; set; }
    public long MemoryBytes { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new();
    public List<string> Capabilities { get; set; } = new();
    public NodeState State { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastHeartbeatAt { get; set; }
    public double CpuPercent { get; set; }
    public long MemoryUsedBytes { get; set; }

    /// <summary>Workloads the agent says it runs (or holds paused) at its last heartbeat; can differ from what is placed on it.</summary>
    public int ReportedWorkloads { get; set; }
    public string AgentVersion { get; set; } = "";

    /// <summary>Slots (workloads run at once) the agent's local scheduler offers; 0 until its first heartbeat says (then: cores).</summary>
    public int Slots { get; set; }

    /// <summary>Slots running a workload at the last heartbeat.</summary>
    public int SlotsUsed { get; set; }

    /// <summary>Slots offered, falling back to the cores for agents that do not report them.</summary>
    public int EffectiveSlots => Slots > 0 ? Slots : Math.Max(1, Cores);

    /// <summary>Workloads the local scheduler holds in its run queue (admitted, not started).</summary>
    public int QueuedWorkloads { get; set; }

    /// <summary>Workloads the local scheduler preempted, waiting at a checkpoint to run again.</summary>
    public int SuspendedWorkloads { get; set; }

    /// <summary>Stored energy as a fraction 0..1 of capacity; null for a mains-powered node.</summary>
    public double? EnergyLevel { get; set; }

    /// <summary>Power harvested now (solar, ...), watts; null for a mains-powered node.</summary>
    public double? EnergyHarvestWatts { get; set; }

    /// <summary>Seconds until the store reaches the level at which the node must suspend its work, at the current draw; null when not falling.</summary>
    public double? EnergySecondsLeft { get; set; }

    /// <summary>Whether the node runs on harvested energy (it reported an energy level at least once).</summary>
    public bool HarvestsEnergy => EnergyLevel is not null;

    /// <summary>Marks the node alive after a (re-)registration; a Draining node stays Draining.</summary>
    public void MarkRegistered(DateTimeOffset now)
    {
        if (State == NodeState.Down)
        {
            State = NodeState.Ready;
        }
        LastHeartbeatAt = now;
    }
}
