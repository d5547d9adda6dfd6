namespace ContinuumControl.Runtime.Execution;

/// <summary>Why a workload should stop at its next safe point.</summary>
[Flags]
internal enum SafePointReason
{
    None = 0,
    Checkpoint = 1,
    Stop = 2,
    CpuCheck = 4,
    WallClock = 8,
}

/// <summary>
/// The host side of the safe-point flag. Any thread may <see cref="Raise"/> a reason; for modules with automatic
/// safe points this also writes 1 to the flag word in the module's flag memory, which the inline checks read at
/// every function entry and loop header. The word is written through a raw pointer because a Wasmtime store must
/// not be touched by two threads at once; the one-page flag memory never moves, and the lock keeps the pointer from
/// being used after the instance is gone.
/// </summary>
internal sealed unsafe class SafePointSignal
{
    private readonly Lock sync = new();
    private const SafePointReason MustEnd = SafePointReason.Stop | SafePointReason.CpuCheck | SafePointReason.WallClock;
    private int reasons;
    private int* flag;
    private long mustEndSince;

    public bool IsRaised => Volatile.Read(ref reasons) != 0;

    public void Attach(IntPtr flagWord)
    {
        lock (sync)
        {
            flag = (int*)flagWord;
            if (flag != null && IsRaised)
            {
                Volatile.Write(ref *flag, 1);
            }
        }
    }

    public void Detach()
    {
        lock (sync)
        {
            flag = null;
        }
    }

    public void Raise(SafePointReason reason)
    {
        if ((reason & MustEnd) != 0)
        {
            Interlocked.CompareExchange(ref mustEndSince, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        }
        Interlocked.Or(ref reasons, (int)reason);
        lock (sync)
        {
            if (flag != null)
            {
                Volatile.Write(ref *flag, 1);
            }
        }
    }

    /// <summary>How long a stop or a limit has waited for a safe point (null: none is waiting).</summary>
    public TimeSpan? MustEndWaiting => Volatile.Read(ref mustEndSince) is var since and not 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(since) : null;

    /// <summary>The reasons raised so far, left in place.</summary>
    public SafePointReason Peek() => (SafePointReason)Volatile.Read(ref reasons);

    /// <summary>
    /// Clears the flag but keeps the reasons, when nothing but a checkpoint is waiting: the inline checks of a cooperative
    /// module stop calling the host, and the guest's own next yield (which always calls it) takes the checkpoint.
    /// Under the lock, so a stop raised meanwhile keeps the flag set.
    /// </summary>
    public void LowerWhileOnlyCheckpoint()
    {
        lock (sync)
        {
            if (flag != null && (SafePointReason)Volatile.Read(ref reasons) == SafePointReason.Checkpoint)
            {
                Volatile.Write(ref *flag, 0);
            }
        }
    }

    /// <summary>Called on the workload's thread at a safe point: clears the flag first, so a request raised meanwhile is not lost.</summary>
    public SafePointReason Take()
    {
        lock (sync)
        {
            if (flag != null)
            {
                Volatile.Write(ref *flag, 0);
            }
        }
        Volatile.Write(ref mustEndSince, 0);
        return (SafePointReason)Interlocked.Exchange(ref reasons, 0);
    }
}
