namespace ContinuumControl.Domain.Workloads;

/// <summary>Priority class: a node's local scheduler runs higher classes first and preempts lower ones for them.</summary>
public enum WorkloadPriority
{
    Low,
    Normal,
    High,
}
