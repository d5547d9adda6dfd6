using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>How many unfinished workloads a node holds, by state: a node card's one-line summary.</summary>
public readonly record struct NodeWorkloadCounts(int Running, int Pending, int Queued, int Suspended)
{
    public int Total => Running + Pending + Queued + Suspended;

    public static NodeWorkloadCounts Of(IEnumerable<WorkloadDto> workloads)
    {
        int running = 0, pending = 0, queued = 0, suspended = 0;
        foreach (var w in workloads)
        {
            switch (w.State)
            {
                case WorkloadState.Running: running++; break;
                case WorkloadState.Pending: pending++; break;
                case WorkloadState.Queued: queued++; break;
                case WorkloadState.Suspended: suspended++; break;
            }
        }
        return new NodeWorkloadCounts(running, pending, queued, suspended);
    }

    /// <summary>"3 running · 2 queued · 1 suspended" (pending only when there is any).</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"{Running} running" };
        if (Pending > 0)
        {
            parts.Add($"{Pending} pending");
        }
        parts.Add($"{Queued} queued");
        parts.Add($"{Suspended} suspended");
        return string.Join(" · ", parts);
    }
}
