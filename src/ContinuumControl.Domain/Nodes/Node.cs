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
