using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Scheduling;

/// <summary>A read-only view of one node as the scheduler sees it.</summary>
public sealed record NodeCandidate(
    Guid Id,
    string Name,
    NodeClass Class,
    NodeState State,
    long MemoryBytes,
    long MemoryAllocatedBytes,
    int Workloads,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Capabilities)
{
    public long MemoryFreeBytes => MemoryBytes - MemoryAllocatedBytes;

    /// <summary>Workloads the local scheduler runs at once.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Workloads waiting in its local run queue at the last heartbeat.</summary>
    public int Queued { get; init; }

    /// <summary>Workloads its local scheduler preempted at the last heartbeat.</summary>
    public int Suspended { get; init; }

    /// <summary>Stored energy 0..1; null for a mains-powered node.</summary>
    public double? EnergyLevel { get; init; }

    /// <summary>Seconds until the store reaches the suspend level; null when not falling.</summary>
    public double? EnergySecondsLeft { get; init; }

    /// <summary>The node's "zone" label: where in the continuum it sits, for locality.</summary>
    public string? Zone { get; init; }

    /// <summary>How many workloads of each module hash are placed on it (for Spread and MigrationCost).</summary>
    public IReadOnlyDictionary<string, int> Modules { get; init; } = EmptyModules;

    private static readonly IReadOnlyDictionary<string, int> EmptyModules = new Dictionary<string, int>();

    /// <summary>Load after adding <paramref name="memoryBytes"/> and <paramref name="workloads"/>: the larger of slot use and memory promised.</summary>
    public double LoadWith(long memoryBytes, int workloads) =>
        Math.Max((double)(Workloads + workloads) / Math.Max(1, Slots), MemoryBytes <= 0 ? 1 : (double)(MemoryAllocatedBytes + memoryBytes) / MemoryBytes);

    public double Load => LoadWith(0, 0);

    /// <summary>This node with one more (or, negative, one fewer) workload of <paramref name="moduleHash"/> promised.</summary>
    public NodeCandidate With(long memoryBytes, int workloads, string moduleHash)
    {
        var modules = new Dictionary<string, int>(Modules);
        modules[moduleHash] = Math.Max(0, modules.GetValueOrDefault(moduleHash) + workloads);
        return this with { MemoryAllocatedBytes = MemoryAllocatedBytes + memoryBytes, Workloads = Workloads + workloads, Modules = modules };
    }
}
