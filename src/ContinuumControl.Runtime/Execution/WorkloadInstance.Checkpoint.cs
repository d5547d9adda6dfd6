using System.Diagnostics;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Runtime.Execution;

/// <summary>What happens on the workload's thread once it has unwound for a checkpoint.</summary>
public sealed partial class WorkloadInstance
{
    private bool CheckpointAndWait(CancellationToken stop)
    {
        CheckpointRequest request;
        lock (gate)
        {
            request = pendingRequest!;
        }
        var started = Stopwatch.GetTimestamp();
        CapturedState captured;
        try
        {
            captured = Capture(request);
            request.Captured = true;
        }
        catch (Exception ex)
        {
            Complete(request, ex);
            return true;
        }
        var captureTime = Stopwatch.GetElapsedTime(started);
        // Until the stack has unwound: the unwind is part of the pause, not of the capture that follows it.
        var toSafePoint = Stopwatch.GetElapsedTime(request.RequestedAt, started);
        if (request.Mode == CheckpointMode.Pause)
        {
            // Paused before the writer can complete the request: whoever awaited it may Resume or Discard at once.
            lock (gate)
            {
                State = WorkloadInstanceState.Paused;
            }
        }
        var writing = WriteAsync(request, captured, toSafePoint, captureTime);
        if (request.Mode == CheckpointMode.Continue)
        {
            return true;
        }
        bool resume;
        lock (gate)
        {
            while (decision == PauseDecision.None && !stop.IsCancellationRequested)
            {
                Monitor.Wait(gate);
            }
            resume = decision == PauseDecision.Resume && !stop.IsCancellationRequested;
        }
        // The writer reads the paused memory in place: it must finish before the guest runs or the store goes away.
        writing.Wait(CancellationToken.None);
        lock (gate)
        {
            State = WorkloadInstanceState.Running;
        }
        return resume;
    }

    private async Task WriteAsync(CheckpointRequest request, CapturedState captured, TimeSpan toSafePoint, TimeSpan captureTime)
    {
        if (request.Mode == CheckpointMode.Continue)
        {
            // The guest runs on while its copied pages are written: the write must not borrow its thread.
            await Task.Yield();
        }
        // Paused, the workload's thread only waits for the decision, so it starts the write itself: one thread hop
        // fewer in a migration's downtime.
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Frozen until Resume or Discard: every millisecond here is downtime, so its chunks skip the compressor.
            var manifest = await writer.WriteAsync(captured, request.Store, request.CancellationToken, uncompressed: request.Mode == CheckpointMode.Pause);
            LastCheckpointTiming = new CheckpointTiming(toSafePoint, captureTime, Stopwatch.GetElapsedTime(started), captured.PageIndices.Length, writer.LastNewChunks, writer.LastBytesWritten);
            Complete(request, manifest);
        }
        catch (Exception ex)
        {
            Complete(request, ex);
        }
    }

    private void Complete(CheckpointRequest request, object result)
    {
        lock (gate)
        {
            if (ReferenceEquals(pendingRequest, request))
            {
                pendingRequest = null;
            }
        }
        if (result is CheckpointManifest manifest)
        {
            request.Completion.TrySetResult(manifest);
        }
        else
        {
            request.Completion.TrySetException((Exception)result);
        }
    }
}
