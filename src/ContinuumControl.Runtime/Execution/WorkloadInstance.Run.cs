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
    private Timer? cpuTimer;
    private (TimeSpan Instantiate, long Instantiated, long Applied)? restoreMarks;

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
            return RunToEnd(stop);
        }
        finally
        {
            signal.Detach();
            cpuTimer?.Dispose();
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
        }
    }

    private RunOutcome RunToEnd(CancellationToken stop)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            Instantiate();
            var rewindNext = false;
            if (restoreFrom is not null)
            {
                var instantiated = Stopwatch.GetTimestamp();
                ApplyRestore(restoreFrom, restoreChunks!);
                restoreMarks = (Stopwatch.GetElapsedTime(started, instantiated), instantiated, Stopwatch.GetTimestamp());
                rewindNext = true;
            }
            runCpuStart = ThreadCpuClock.Now();
            ArmCpuTimer();
            while (true)
            {
                if (rewindNext)
                {
                    rewinding = true;
                    startRewind!((int)bufferAddress);
                }
                entry!();
                if (asyncifyState!() != AsyncifyUnwinding)
                {
                    return new RunOutcome(0, null);
                }
                stopUnwind!();
                var reason = unwindReason;
                if (reason.HasFlag(SafePointReason.Stop))
                {
                    return new RunOutcome(null, "stopped on request", Stopped: true);
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
    }

    private void Instantiate()
    {
        var linker = new Linker(engine);
        linker.DefineWasi();
        linker.DefineFunction(HostCapabilities.Continuum, "yield", OnYield);
        store = new Store(engine);
        store.SetLimits(memorySize: memoryLimit);
        var wasi = new WasiConfiguration()
            .WithArgs([Name, .. args])
            .WithEnvironmentVariables(env.Select(kv => (kv.Key, kv.Value)))
            .WithStandardOutputCallback(data => output.Write(false, data))
            .WithStandardErrorCallback(data => output.Write(true, data));
        foreach (var preopen in preopens)
        {
            wasi.WithPreopenedDirectory(preopen.HostPath, preopen.GuestPath, true);
        }
        store.SetWasiConfiguration(wasi);
        instance = linker.Instantiate(store, module);
        linker.Dispose();
        memory = instance.GetMemory(GlobalExportRewriter.MemoryExport) ?? instance.GetMemory("memory")
            ?? throw new InvalidOperationException("the module exports no linear memory; it was not instrumented by this runtime");
        entry = instance.GetAction("_start") ?? throw new InvalidOperationException("the module exports no _start function");
        startUnwind = instance.GetAction<int>("asyncify_start_unwind");
        stopUnwind = instance.GetAction("asyncify_stop_unwind");
        startRewind = instance.GetAction<int>("asyncify_start_rewind");
        stopRewind = instance.GetAction("asyncify_stop_rewind");
        asyncifyState = instance.GetFunction<int>("asyncify_get_state");
        if (startUnwind is null || stopUnwind is null || startRewind is null || stopRewind is null || asyncifyState is null)
        {
            throw new InvalidOperationException("the module lacks the asyncify_* exports; it was not instrumented by this runtime");
        }
        globals = ExportedGlobals(instance);
        signal.Attach(instance.GetMemory(FlagMemoryRewriter.FlagMemoryExport)?.GetPointer() ?? IntPtr.Zero);
    }

    private List<(string, Global)> ExportedGlobals(Instance created)
    {
        var names = module.Exports.Where(e => e is GlobalExport && e.Name.StartsWith(GlobalExportRewriter.ExportPrefix, StringComparison.Ordinal)).Select(e => e.Name);
        return names.Select(n => (n, created.GetGlobal(n)!)).ToList();
    }

    /// <summary>The continuum.yield import: every safe point (cooperative or automatic) lands here, on the workload's thread.</summary>
    private void OnYield()
    {
        if (rewinding)
        {
            // Re-entered while rewinding the saved stack: the rewind is complete once we are back at the yield.
            stopRewind!();
            rewinding = false;
            ClearStackBuffer();
            if (restoreMarks is { } marks && LastRestoreTiming is null)
            {
                LastRestoreTiming = new RestoreTiming(verifyTime, compileTime, marks.Instantiate, Stopwatch.GetElapsedTime(marks.Instantiated, marks.Applied), Stopwatch.GetElapsedTime(marks.Applied));
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
        if (reasons.HasFlag(SafePointReason.Checkpoint))
        {
            pendingRequest!.ReachedAt = Stopwatch.GetTimestamp();
        }
        BeginUnwind();
    }

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
        var toSafePoint = Stopwatch.GetElapsedTime(request.RequestedAt, request.ReachedAt);
        var writing = WriteAsync(request, captured, toSafePoint, captureTime);
        if (request.Mode == CheckpointMode.Continue)
        {
            return true;
        }
        bool resume;
        lock (gate)
        {
            State = WorkloadInstanceState.Paused;
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
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var manifest = await writer.WriteAsync(captured, request.Store, request.CancellationToken);
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

    private TimeSpan CpuUsed() => cpuUsedBefore + (ThreadCpuClock.Now() - runCpuStart);

    private bool CpuLimitReached() => cpuLimit is { } limit && CpuUsed() >= limit;

    private void ArmCpuTimer()
    {
        if (cpuLimit is not { } limit)
        {
            return;
        }
        var remaining = limit - CpuUsed();
        var due = remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining;
        cpuTimer ??= new Timer(_ => signal.Raise(SafePointReason.CpuCheck));
        cpuTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private string DescribeTrap(TrapException ex)
    {
        var first = FirstLine(ex.Message);
        return ex.Type switch
        {
            TrapCode.MemoryOutOfBounds => $"trapped: out-of-bounds memory access ({first}){MemoryLimitHint()}",
            TrapCode.Unreachable => $"trapped: unreachable instruction executed (the program aborted or hit a bug): {first}{MemoryLimitHint()}",
            TrapCode.StackOverflow => $"trapped: call stack exhausted (infinite or too deep recursion): {first}",
            TrapCode.IntegerDivisionByZero => $"trapped: integer division by zero: {first}",
            _ => $"trapped: {first}{MemoryLimitHint()}",
        };
    }

    /// <summary>
    /// Wasmtime refuses memory.grow beyond the limit silently (the guest sees -1 and its allocator gives up, usually
    /// asking for a large block); say so when memory ended close to the limit, the likely cause.
    /// </summary>
    private string MemoryLimitHint()
    {
        try
        {
            var margin = Math.Max(memoryLimit / 8, 1L << 20);
            if (memory is not null && memory.GetSize() * CheckpointManifest.PageSize + margin > memoryLimit)
            {
                return $"; the workload reached its memory limit of {memoryLimit / (1024 * 1024)} MiB (memory is {memory.GetSize() * CheckpointManifest.PageSize / (1024 * 1024)} MiB), so an allocation most likely failed";
            }
        }
        catch (WasmtimeException)
        {
        }
        return "";
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
