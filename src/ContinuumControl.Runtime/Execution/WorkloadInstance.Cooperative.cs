using System.Diagnostics;

namespace ContinuumControl.Runtime.Execution;

/// <summary>When a checkpoint of a module that yields itself stops waiting for the guest's own yield.</summary>
public sealed partial class WorkloadInstance
{
    private ITimer? overdueTimer;
    private CheckpointRequest? overdueFor;

    /// <summary>True when the pending checkpoint was requested at least the grace ago.</summary>
    private bool CheckpointOverdue()
    {
        CheckpointRequest? request;
        lock (gate)
        {
            request = pendingRequest;
        }
        return request is not null && Stopwatch.GetElapsedTime(request.RequestedAt) >= options.CooperativeYieldGrace;
    }

    /// <summary>Raises the flag again once the pending request is overdue, so the next inserted check takes it (one timer per request).</summary>
    private void RaiseWhenOverdue()
    {
        CheckpointRequest? request;
        lock (gate)
        {
            request = pendingRequest;
            if (request is null || ReferenceEquals(overdueFor, request))
            {
                return;
            }
            overdueFor = request;
        }
        // A little past the grace: a timer that fired a hair early would raise a flag the next check lowers again.
        var due = options.CooperativeYieldGrace - Stopwatch.GetElapsedTime(request.RequestedAt) + TimeSpan.FromMilliseconds(5);
        overdueTimer?.Dispose();
        overdueTimer = options.Time.CreateTimer(_ => RaiseIfStillPending(request), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void RaiseIfStillPending(CheckpointRequest request)
    {
        lock (gate)
        {
            if (!ReferenceEquals(pendingRequest, request) || request.Captured)
            {
                return;
            }
        }
        signal.Raise(SafePointReason.Checkpoint);
    }
}
