namespace ContinuumControl.Domain.Orchestration;

/// <summary>What an operator set for one cluster policy, and how its last run went; survives restarts.</summary>
public sealed class PolicyState
{
    /// <summary>Rebalance, Drain, Offload, EnergyLow or NodeDown.</summary>
    public required string Name { get; set; }

    public bool Paused { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }

    /// <summary>What the last run did, in words ("moved 2 workloads off edge-3", "balanced within 0.15").</summary>
    public string? LastResult { get; set; }
}
