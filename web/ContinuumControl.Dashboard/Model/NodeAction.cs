namespace ContinuumControl.Dashboard.Model;

/// <summary>What an operator can do to a node from its card.</summary>
public enum NodeAction
{
    /// <summary>Takes no new workloads; what runs there stays.</summary>
    Cordon,

    /// <summary>Takes no new workloads, and the Drain policy moves what runs there away.</summary>
    Drain,

    /// <summary>Takes work again.</summary>
    Uncordon,
}

/// <summary>When a <see cref="NodeAction"/> makes sense and how the dashboard words it.</summary>
public static class NodeActions
{
    /// <summary>
    /// False only when the node is already where the action leads (the server judges everything else, e.g. a Down
    /// node, and says why it refuses).
    /// </summary>
    public static bool Offered(NodeAction action, NodeState state) => action switch
    {
        NodeAction.Cordon => state is not (NodeState.Cordoned or NodeState.Draining),
        NodeAction.Drain => state is not NodeState.Draining,
        NodeAction.Uncordon => state is not NodeState.Ready,
        _ => false,
    };

    /// <summary>The verb in a refusal: "Cannot cordon edge-1: …".</summary>
    public static string Verb(NodeAction action) => action switch
    {
        NodeAction.Cordon => "cordon",
        NodeAction.Drain => "drain",
        _ => "uncordon",
    };

    /// <summary>What happened, once the control plane accepted it.</summary>
    public static string Done(NodeAction action, string nodeName) => action switch
    {
        NodeAction.Cordon => $"{nodeName} is cordoned: it takes no new workloads; what runs there stays.",
        NodeAction.Drain => $"{nodeName} is draining: its workloads are being moved to other nodes.",
        _ => $"{nodeName} takes work again.",
    };
}
