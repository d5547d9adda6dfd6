namespace ContinuumControl.Domain.Orchestration;

/// <summary>Why the scheduler looks at the cluster.</summary>
public enum EvaluationTrigger
{
    /// <summary>A new workload to place.</summary>
    Submitted,

    /// <summary>A node was lost: its workloads resume elsewhere.</summary>
    NodeDown,

    /// <summary>A node is draining: its workloads move away.</summary>
    Drain,

    /// <summary>Load differs too much between nodes.</summary>
    Rebalance,

    /// <summary>An operator asked to move a workload.</summary>
    OperatorMove,

    /// <summary>A node's local scheduler cannot serve a workload in time.</summary>
    Offload,

    /// <summary>An energy-harvesting node runs low.</summary>
    EnergyLow,
}
