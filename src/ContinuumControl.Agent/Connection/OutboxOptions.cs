namespace ContinuumControl.Agent.Connection;

/// <summary>Bounds of the agent's outbox during a partition (section "Agent:Outbox").</summary>
public sealed class OutboxOptions
{
    /// <summary>Messages kept in memory with their content; later ones are spilled to the data directory.</summary>
    public int MemoryEntries { get; set; } = 10_000;

    /// <summary>Bytes the spilled messages may take on disk; past it the oldest droppable messages are dropped.</summary>
    public long SpillBytes { get; set; } = 256L * 1024 * 1024;
}
