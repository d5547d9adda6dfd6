using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Configuration;

namespace ContinuumControl.Scheduling;

/// <summary>
/// Plans Rebalance: while the most and least loaded Ready nodes differ by more than the threshold, move one workload
/// off the most loaded node — the cheapest one that can move — to a node where the move really narrows the gap.
/// Hysteresis: the target must end at least MinImprovement below the source's load before the move, so a move never
/// just swaps which node is fuller, the reverse move can never pass the threshold, and repeated runs settle instead of
/// ping-ponging. Recently moved, pinned and migrating workloads stay; caps bound concurrent migrations per node and
/// per cluster.
/// </summary>
internal sealed class Rebalancer(SchedulerConfiguration configuration, TimeProvider time)
{
    private RebalanceOptions Options => configuration.Options.Rebalance;

    public void Plan(PlanBuilder plan)
    {
        var cluster = plan.Cluster;
        var exhausted = new HashSet<Guid>();
        var cooldown = TimeSpan.FromSeconds(Options.CooldownSeconds);
        var now = time.GetUtcNow();
        while (cluster.Moves < Options.MaxConcurrentPerCluster)
        {
            var ready = cluster.Nodes.Where(n => n.State == NodeState.Ready).ToList();
            if (ready.Count < 2)
            {
                return;
            }
            var low = ready.MinBy(n => n.Load)!.Load;
            var moved = false;
            // Most loaded first; sorted once per move, walked until the rest are within the threshold.
            foreach (var high in ready.OrderByDescending(n => n.Load).ThenBy(n => n.Name, StringComparer.Ordinal))
            {
                if (high.Load - low <= Options.Threshold)
                {
                    return;
                }
                if (exhausted.Contains(high.Id))
                {
                    continue;
                }
                if (cluster.MovesTouching(high.Id) < Options.MaxConcurrentPerNode && MoveOne(plan, high, now, cooldown))
                {
                    moved = true;
                    break;
                }
                exhausted.Add(high.Id);
            }
            if (!moved)
            {
                return;
            }
        }
    }

    private bool MoveOne(PlanBuilder plan, NodeCandidate high, DateTimeOffset now, TimeSpan cooldown)
    {
        var cluster = plan.Cluster;
        var movable = cluster.On(high.Id)
            .Where(w => w.State == WorkloadState.Running && !w.Pinned && !cluster.IsBusy(w.Id) && (w.LastMovedAt is not { } at || now - at >= cooldown))
            .OrderBy(w => w.MemoryBytes)
            .ThenBy(w => w.Priority)
            .ThenBy(w => w.Id);
        foreach (var workload in movable)
        {
            var narrows = new NodeCheck("Rebalance",
                target => cluster.MovesTouching(target.Id) < Options.MaxConcurrentPerNode && target.LoadWith(workload.MemoryBytes, 1) + Options.MinImprovement <= high.Load,
                target => cluster.MovesTouching(target.Id) >= Options.MaxConcurrentPerNode
                    ? $"already {cluster.MovesTouching(target.Id)} migrations touching it (cap {Options.MaxConcurrentPerNode})"
                    : $"with {workload.Name} its load would be {target.LoadWith(workload.MemoryBytes, 1):0.00}, not at least {Options.MinImprovement:0.00} below {high.Name}'s {high.Load:0.00}");
            var selection = plan.Selector.Select(cluster, workload, high, plan.Random, narrows);
            if (selection.Node is { } target)
            {
                plan.Migrate(workload, high, target, selection.Score, $"rebalance: {high.Name} at load {high.Load:0.00}, {target.Name} at {target.Load:0.00}");
                return true;
            }
        }
        return false;
    }
}
