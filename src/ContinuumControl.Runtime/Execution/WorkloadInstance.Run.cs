using System.Diagnostics;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

public sealed partial class WorkloadInstance
{
    private const int AsyncifyNormal = 0, AsyncifyUnwinding = 1;

    private Store? store;
    private Instance? instance;
    private Memory? memory;
    private Action<int>? startUnwind, startRewind;
    private Action? stopUnwind, stopRewind, entry;
    private Func<int>? asyncifyState;
    private List<(string Name, Global Global)> globals = [];
    private SafePointReason unwindReason;
    private bool rewinding;
    private TimeSpan runCpuStart;
    private CpuTimeAlarms.Alarm? cpuAlarm;
    private (long Bound, long Applied)? restoreMarks;
    private GuestStdio? stdio;

    /// <summary>
    /// Runs the workload on the calling thread until it exits, traps, is stopped through <paramref name="stop"/>,
    /// exceeds a limit, or is discarded while paused. Checkpoints happen inside this call.
    /// </summary>
    public RunOutcome Run(CancellationToken stop = default)
    {
        lock (gate)
        {
            if (State != WorkloadInstanceState.Created)
            {
                throw new InvalidOperationException($"workload '{Name}' has already been run");
            }
            State = WorkloadInstanceState.Running;
        }
        using var stopRegistration = stop.Register(() =>
        {
            signal.Raise(SafePointReason.Stop);
            lock (gate)
            {
                Monitor.PulseAll(gate);
            }
        });
        try
        {
            var outcome = RunToEnd(stop);
            // Everything the guest wrote reaches the sink before the run is over; past its limit, that is the failure.
            output.Detach();
            return output.LimitReason is { } tooMuch && !outcome.Discarded ? new RunOutcome(null, tooMuch) : outcome;
        }
        finally
        {
            output.Detach();
            signal.Detach();
            cpuAlarm?.Cancel();
            overdueTimer?.Dispose();
            wallClockTimer?.Dispose();
            lock (gate)
            {
                State = WorkloadInstanceState.Ended;
                // A request whose state was already captured completes when its writer does (a Continue checkpoint
                // works from a copy, so the workload may finish first); only one still waiting for a safe point fails.
                if (pendingRequest is { Captured: false } waiting)
                {
                    waiting.Completion.TrySetException(new InvalidOperationException($"workload '{Name}' ended before its state was captured at a safe point"));
                    pendingRequest = null;
                }
            }
            store?.Dispose();
            stdio?.Dispose();
        }
    }

    private RunOutcome RunToEnd(CancellationToken stop)
    {
        try
        {
            Instantiate();
            var rewindNext = false;
            if (restoreFrom is null)
            {
                WarmPausePath();
            }
            else
            {
                var bound = Stopwatch.GetTimestamp();
                ApplyRestore(restoreFrom);
                restoreMarks = (bound, Stopwatch.GetTimestamp());
                rewindNext = true;
            }
            runCpuStart = ThreadCpuClock.Now();
            ArmCpuTimer();
            ArmWallClockTimer();
            while (true)
            {
                if (rewindNext)
                {
                    rewinding = true;
                    BeginRewind();
                }
                entry!();
                if (asyncifyState!() != AsyncifyUnwinding)
                {
                    return new RunOutcome(0, null);
                }
                stopUnwind!();
                TakeUnwoundStack();
                var reason = unwindReason;
                if (reason.HasFlag(SafePointReason.Stop))
                {
                    return new RunOutcome(null, "stopped on request", Stopped: true);
                }
                if (reason.HasFlag(SafePointReason.WallClock))
                {
                    return new RunOutcome(null, "exceeded its wall-clock limit (the time allowed from its first start, waiting and moves included); raise wallClockLimitSeconds or shorten the work");
                }
                if (reason.HasFlag(SafePointReason.CpuCheck))
                {
                    return new RunOutcome(null, $"exceeded its CPU-time limit of {cpuLimit!.Value.TotalSeconds:0.###} s (used {CpuUsed().TotalSeconds:0.###} s); raise the limit or shorten the work");
                }
                if (!CheckpointAndWait(stop))
                {
                    return stop.IsCancellationRequested
                        ? new RunOutcome(null, "stopped on request", Stopped: true)
                        : new RunOutcome(null, "discarded after a checkpoint: the workload continues from that checkpoint elsewhere", Stopped: true, Discarded: true);
                }
                rewindNext = true;
            }
        }
        catch (WasmtimeException ex) when (ex.InnerException is SafePointOverdueException overdue)
        {
            return new RunOutcome(null, overdue.Message, Stopped: overdue.WasStopped);
        }
        catch (WasmtimeException ex) when (ex.ExitCode is int code)
        {
            return new RunOutcome(code, code == 0 ? null : $"exited with code {code}{MemoryLimitHint()}");
        }
        catch (TrapException ex)
        {
            return new RunOutcome(null, DescribeTrap(ex));
        }
        catch (WasmtimeException ex)
        {
            return new RunOutcome(null, $"the module failed: {FirstLine(ex.Message)}{MemoryLimitHint()}");
        }
        catch (CheckpointRejectedException ex)
        {
            return new RunOutcome(null, ex.Reason);
        }
        catch (InvalidOperationException ex)
        {
            return new RunOutcome(null, ex.Message);
        }
    }

    private void Instantiate()
    {
        // A staged instance (created and filled during the pre-copy) is used as it is; otherwise one is made now.
        var guest = staged ?? GuestInstance.Create(engine, module, Name, args, env, preopens, memoryLimit);
        staged = null;
        guest.Connect(OnYield, OnInsertedCheck, OnEpochDeadline);
        stdio = guest.Stdio;
        output.Attach(guest.Stdio, () => signal.Raise(SafePointReason.Stop));
        store = guest.Store;
        instance = guest.Instance;
        memory = guest.Memory;
        entry = guest.Entry;
        startUnwind = guest.StartUnwind;
        stopUnwind = guest.StopUnwind;
        startRewind = guest.StartRewind;
        stopRewind = guest.StopRewind;
        asyncifyState = guest.AsyncifyState;
        globals = guest.ExportedGlobals(module);
        signal.Attach(guest.FlagWord);
    }

    /// <summary>The continuum.yield import: every safe point (cooperative or automatic) lands here, on the workload's thread.</summary>
    private void OnYield()
    {
        if (rewinding)
        {
            // Re-entered while rewinding the saved stack: the rewind is complete once we are back at the yield.
            stopRewind!();
            rewinding = false;
            EndRewind();
            if (restoreMarks is { } marks && LastRestoreTiming is null)
            {
                LastRestoreTiming = restoreTiming! with { ApplyState = Stopwatch.GetElapsedTime(marks.Bound, marks.Applied), Rewind = Stopwatch.GetElapsedTime(marks.Applied) };
                try
                {
                    Resumed?.Invoke();
                }
                catch (Exception)
                {
                    // A failed notification must not become a trap in the guest, which would lose the workload.
                }
            }
            return;
        }
        if (!signal.IsRaised)
        {
            return;
        }
        var reasons = signal.Take();
        if (reasons.HasFlag(SafePointReason.CpuCheck) && !CpuLimitReached())
        {
            ArmCpuTimer();
            reasons &= ~SafePointReason.CpuCheck;
        }
        if (reasons == SafePointReason.None)
        {
            return;
        }
        unwindReason = reasons;
        BeginUnwind();
    }

    /// <summary>
    /// continuum.check, the safe points inserted into a module that yields itself. A stop or a limit is honoured here at
    /// once. A checkpoint waits for the guest's own next yield, where its author chose to be paused (files closed,
    /// nothing half-done), unless the guest has not yielded within <see cref="WorkloadOptions.CooperativeYieldGrace"/>
    /// of the request: then it is taken here, so a guest that stops yielding can still be moved.
    /// </summary>
    private void OnInsertedCheck()
    {
        if (rewinding || signal.Peek() != SafePointReason.Checkpoint || CheckpointOverdue())
        {
            OnYield();
            return;
        }
        signal.LowerWhileOnlyCheckpoint();
        if (CheckpointOverdue())
        {
            // The grace ran out between the check above and lowering the flag: the overdue timer's raise may be the
            // one just lowered, so take the checkpoint now rather than wait for a raise that will not come again.
            OnYield();
            return;
        }
        RaiseWhenOverdue();
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
