using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Configuration;

namespace ContinuumControl.Scheduling;

/// <summary>
/// Plans Rebalance: while the most and least loaded Ready nodes differ by more than the threshold, move one workload
/// off the most loaded node — the cheapest one that can move — to a node where the move really narrows the gap.
/// Hysteresis: a move must lower the pair's higher load by at least MinImprovement, so a move that would merely swap
/// which node is fuller is never planned and repeated runs settle instead of ping-ponging. Recently moved, pinned and
/// migrating workloads stay; caps bound concurrent migrations per node and per cluster.
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
            var low = ready.MinBy(n => n.Load)!;
            var high = ready.Where(n => !exhausted.Contains(n.Id)).OrderByDescending(n => n.Load).ThenBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault();
            if (high is null || high.Load - low.Load <= Options.Threshold)
            {
                return;
            }
            if (cluster.MovesTouching(high.Id) >= Options.MaxConcurrentPerNode || !MoveOne(plan, high, now, cooldown))
            {
                exhausted.Add(high.Id);
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
            var narrows = new NodeCheck("Rebalance", target =>
            {
                if (cluster.MovesTouching(target.Id) >= Options.MaxConcurrentPerNode)
                {
                    return $"already {cluster.MovesTouching(target.Id)} migrations touching it (cap {Options.MaxConcurrentPerNode})";
                }
                var after = Math.Max(high.LoadWith(-workload.MemoryBytes, -1), target.LoadWith(workload.MemoryBytes, 1));
                return after <= high.Load - Options.MinImprovement
                    ? null
                    : $"moving {workload.Name} here would leave load {after:0.00}, not at least {Options.MinImprovement:0.00} below {high.Name}'s {high.Load:0.00}";
            });
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
