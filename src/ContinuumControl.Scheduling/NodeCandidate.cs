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
}
