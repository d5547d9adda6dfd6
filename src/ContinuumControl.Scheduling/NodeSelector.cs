using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Scheduling.Scoring;

namespace ContinuumControl.Scheduling;

/// <summary>
/// Finds the best node for one workload: filters in order, then the weighted scorers. Like Nomad it does not score
/// every node of a big cluster: it visits nodes from a seeded random offset and stops after MaxCandidates feasible
/// ones; when nothing fits it has visited them all, so the refusal can say why for each.
/// </summary>
internal sealed class NodeSelector(SchedulerConfiguration configuration)
{
    /// <summary>Rejections kept per refusal: enough to explain, bounded for 10,000-node clusters.</summary>
    public const int MaxRejectionsKept = 50;

    public Selection Select(WorkingCluster cluster, WorkloadView workload, NodeCandidate? source, Random random, NodeCheck? extra = null)
    {
        var nodes = cluster.Nodes;
        var request = workload.Request;
        var context = new ScoringContext(workload, source);
        var rejections = new List<NodeRejection>();
        var rejected = 0;
        NodeCandidate? best = null;
        var bestScore = double.NegativeInfinity;
        var feasible = 0;
        var start = nodes.Length == 0 ? 0 : random.Next(nodes.Length);
        for (var i = 0; i < nodes.Length && feasible < configuration.Options.MaxCandidates; i++)
        {
            var node = nodes[(start + i) % nodes.Length];
            if (source is not null && node.Id == source.Id)
            {
                continue;
            }
            if (!Passes(node, request, extra, rejections.Count < MaxRejectionsKept ? rejections : null))
            {
                rejected++;
                continue;
            }
            feasible++;
            var score = Score(node, context);
            if (score > bestScore || (score == bestScore && string.CompareOrdinal(node.Name, best!.Name) < 0))
            {
                best = node;
                bestScore = score;
            }
        }
        return new Selection(best, best is null ? 0 : bestScore, rejections, rejected);
    }

    /// <summary>The first filter (or extra check) that refuses the node, with its words; null when it passes.</summary>
    public NodeRejection? Reject(NodeCandidate node, PlacementRequest request, NodeCheck? extra = null)
    {
        var found = new List<NodeRejection>(1);
        return Passes(node, request, extra, found) ? null : found[0];
    }

    /// <summary>Whether every filter and the extra check pass; the rejection goes to <paramref name="rejections"/> when one is given.</summary>
    private bool Passes(NodeCandidate node, PlacementRequest request, NodeCheck? extra, List<NodeRejection>? rejections)
    {
        foreach (var filter in configuration.Filters)
        {
            if (filter.Reject(node, request) is { } reason)
            {
                rejections?.Add(new NodeRejection(node.Name, filter.Name, reason));
                return false;
            }
        }
        if (extra is null || extra.Passes(node))
        {
            return true;
        }
        // Words are built only for rejections that are kept: Rebalance checks thousands of nodes per move.
        rejections?.Add(new NodeRejection(node.Name, extra.Name, extra.Why(node)));
        return false;
    }

    /// <summary>Weighted mean of the configured scorers, 0..1.</summary>
    public double Score(NodeCandidate node, ScoringContext context)
    {
        double sum = 0, weights = 0;
        foreach (var (scorer, weight) in configuration.Scorers)
        {
            sum += weight * scorer.Score(node, context);
            weights += weight;
        }
        return weights == 0 ? 0 : sum / weights;
    }
}

/// <summary>A check one kind of evaluation adds to the filters (Offload: a free slot; Rebalance: the move must help).</summary>
internal sealed record NodeCheck(string Name, Func<NodeCandidate, bool> Passes, Func<NodeCandidate, string> Why);

/// <summary>The chosen node (or none) with the rejections seen on the way.</summary>
internal sealed record Selection(NodeCandidate? Node, double Score, IReadOnlyList<NodeRejection> Rejections, int Rejected)
{
    /// <summary>The rejections, with a last line for those not kept.</summary>
    public IReadOnlyList<NodeRejection> Explained => Rejected > Rejections.Count
        ? [.. Rejections, new NodeRejection($"{Rejected - Rejections.Count} more nodes", "", "not listed")]
        : Rejections;
}
