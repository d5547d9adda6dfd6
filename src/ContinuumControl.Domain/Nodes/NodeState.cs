namespace ContinuumControl.Domain.Nodes;

/// <summary>Lifecycle of a node as the control plane sees it.</summary>
public enum NodeState
{
    /// <summary>Heartbeating and accepting new workloads.</summary>
    Ready,

    /// <summary>Heartbeating but receives no new workloads.</summary>
    Draining,

    /// <summary>Its heartbeat TTL and grace expired.</summary>
    Down,

    /// <summary>Heartbeating, keeps what runs on it, but receives no new workloads (an operator's cordon).</summary>
    Cordoned,
}
