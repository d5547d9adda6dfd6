using ContinuumControl.Runtime.Checkpoints;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>CPU-time accounting and the words a failed run ends with.</summary>
public sealed partial class WorkloadInstance
{
    private TimeSpan CpuUsed() => cpuUsedBefore + (ThreadCpuClock.Now() - runCpuStart);

    private ITimer? wallClockTimer;

    /// <summary>The wall-clock limit needs no accounting: a timer raises it, and the next safe point ends the run.</summary>
    private void ArmWallClockTimer()
    {
        if (wallClockLimit is { } limit)
        {
            wallClockTimer = options.Time.CreateTimer(_ => signal.Raise(SafePointReason.WallClock), null, limit, Timeout.InfiniteTimeSpan);
        }
    }

    private bool CpuLimitReached() => cpuLimit is { } limit && CpuUsed() >= limit;

    private void ArmCpuTimer()
    {
        if (cpuLimit is not { } limit)
        {
            return;
        }
        var remaining = limit - CpuUsed();
        var due = remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining;
        cpuAlarm?.Cancel();
        cpuAlarm = CpuTimeAlarms.Set(signal, due);
    }

    private string DescribeTrap(TrapException ex)
    {
        // Wasmtime's first line is "error while executing at wasm backtrace:" when it has frames: name the function instead.
        var where = TrapLocation.Describe(ex);
        var first = where.Length > 0 ? $"trap{where}" : FirstLine(ex.Message);
        if (scratch is { Borrowed: > 0 } borrowed && ex.Type == TrapCode.Unreachable)
        {
            // Asyncify traps when the frames it saves outgrow its buffer: say that, not "the program aborted".
            return $"trapped while saving or restoring the call stack at a safe point: it does not fit in the {borrowed.Borrowed} bytes at the top of linear memory the runtime lends it (WorkloadOptions.AsyncifyBufferBytes, at most the memory's size): {first}";
        }
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
}
