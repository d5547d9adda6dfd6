using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>How an agent sends a <see cref="WorkloadStatusReport"/>.</summary>
public static class StatusReports
{
    /// <summary>
    /// Queues a status report of <paramref name="active"/> (skipped if it is discarded by the time it goes out). Only a
    /// finished state must reach the server: an interim one is superseded by the next, so a full outbox may drop it.
    /// </summary>
    public static void ReportStatus(this Outbox outbox, ActiveWorkload active, WorkloadState state, string? reason = null, int? exitCode = null) =>
        active.Report(state, exitCode, reason, report =>
            outbox.Enqueue(report, (hub, r) => active.Discarded ? Task.CompletedTask : hub.InvokeAsync(nameof(IAgentHub.ReportStatus), r),
                droppable: !state.IsFinished, kind: "interim status report"));
}
