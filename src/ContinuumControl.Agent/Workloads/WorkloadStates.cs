using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>The states an agent reports in <see cref="WorkloadStatusReport.State"/>.</summary>
public static class WorkloadStates
{
    public const string Queued = nameof(Queued);
    public const string Running = nameof(Running);
    public const string Suspended = nameof(Suspended);
    public const string Completed = nameof(Completed);
    public const string Failed = nameof(Failed);
    public const string Stopped = nameof(Stopped);

    public static bool IsFinal(string state) => state is Completed or Failed or Stopped;

    /// <summary>
    /// Queues a status report of <paramref name="active"/> (skipped if it is discarded by the time it goes out). Only a
    /// final state must reach the server: an interim one is superseded by the next, so a full outbox may drop it.
    /// </summary>
    public static void ReportStatus(this Outbox outbox, ActiveWorkload active, string state, string? reason = null, int? exitCode = null) =>
        active.Report(state, exitCode, reason, report =>
            outbox.Enqueue(report, (hub, r) => active.Discarded ? Task.CompletedTask : hub.InvokeAsync(nameof(IAgentHub.ReportStatus), r),
                droppable: !IsFinal(state), kind: "interim status report"));
}
