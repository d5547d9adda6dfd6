namespace ContinuumControl.Scheduling;

/// <summary>Why one candidate node was refused, and by which filter.</summary>
public sealed record NodeRejection(string NodeName, string Filter, string Reason);

/// <summary>The chosen node, or none with every candidate's rejection.</summary>
public sealed record PlacementDecision(NodeCandidate? Node, IReadOnlyList<NodeRejection> Rejections)
{
    /// <summary>A one-paragraph explanation of why nothing fits, for error messages.</summary>
    public string Explain() => Rejections.Count == 0
        ? "no nodes have registered; start an agent (see README, 'Agents on other machines')"
        : string.Join("; ", Rejections.Select(r => $"{r.NodeName}: {r.Reason}"));
}
