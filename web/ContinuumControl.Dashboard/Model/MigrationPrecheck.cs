using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>
/// What the dashboard can tell about a move before asking the control plane: every reason the target cannot take the
/// workload that the pool view already shows. The server checks again (and more: host capabilities, races).
/// </summary>
public static class MigrationPrecheck
{
    /// <summary>Every reason <paramref name="workload"/> cannot move to <paramref name="target"/>; empty when the server may be asked.</summary>
    /// <param name="inFlight">The workload's migration still under way, if any.</param>
    public static IReadOnlyList<string> Refusals(WorkloadDto workload, NodeDto target, MigrationDto? inFlight)
    {
        var reasons = new List<string>();
        if (workload.NodeId == target.Id)
        {
            reasons.Add($"{workload.Name} already runs on {target.Name}; drop it on another node.");
        }

        if (workload.State != "Running")
        {
            reasons.Add($"{workload.Name} is {workload.State}; only a Running workload can be moved.");
        }

        if (inFlight is not null)
        {
            reasons.Add($"{workload.Name} is already moving to {inFlight.TargetNodeName} ({inFlight.Phase}); wait until that migration finishes.");
        }

        if (target.State != "Ready")
        {
            reasons.Add($"{target.Name} is {target.State} and takes no workloads; pick a Ready node.");
        }

        var free = Math.Max(0, target.MemoryBytes - target.MemoryAllocatedBytes);
        if (workload.MemoryLimitBytes > free)
        {
            reasons.Add($"{target.Name} has {DisplayFormat.Bytes(free)} of memory free; {workload.Name} needs {DisplayFormat.Bytes(workload.MemoryLimitBytes)}.");
        }

        if (workload.RequiredClass is { Length: > 0 } required && !string.Equals(required, target.Class, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add($"{workload.Name} may only run on class {required}; {target.Name} is {target.Class}.");
        }

        var missing = workload.RequiredLabels
            .Where(l => !target.Labels.TryGetValue(l.Key, out var value) || value != l.Value)
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Key}={l.Value}")
            .ToList();
        if (missing.Count > 0)
        {
            reasons.Add($"{target.Name} lacks the required {(missing.Count == 1 ? "label" : "labels")} {string.Join(", ", missing)}.");
        }

        return reasons;
    }
}
