namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Wakes workloads for their CPU-time check from one dedicated thread. A <see cref="Timer"/> would run its callback on
/// the thread pool, and a starved pool (a busy agent, a test process starting dozens of workloads at once) delayed it
/// by seconds: a workload with a 200 ms limit then ran to its end. Raising the flag takes microseconds, so one thread
/// serves every workload in the process.
/// </summary>
internal static class CpuTimeAlarms
{
    private static readonly object Gate = new();
    private static readonly PriorityQueue<Alarm, long> Queue = new();
    private static Thread? waker;

    /// <summary>One workload's pending alarm; <see cref="Cancel"/> it when the workload re-arms or ends.</summary>
    public sealed class Alarm(SafePointSignal signal)
    {
        internal SafePointSignal Signal { get; } = signal;

        /// <summary>
        /// Takes the alarm out of the queue (one that already rang is gone). A spurious check after a race with the
        /// waker is harmless: the workload compares its CPU time with its limit before acting on it.
        /// </summary>
        public void Cancel()
        {
            lock (Gate)
            {
                Queue.Remove(this, out _, out _, ReferenceEqualityComparer.Instance);
            }
        }
    }

    /// <summary>Raises <see cref="SafePointReason.CpuCheck"/> on <paramref name="signal"/> once <paramref name="due"/> has passed.</summary>
    public static Alarm Set(SafePointSignal signal, TimeSpan due)
    {
        var alarm = new Alarm(signal);
        lock (Gate)
        {
            Queue.Enqueue(alarm, Environment.TickCount64 + (long)Math.Ceiling(due.TotalMilliseconds));
            waker ??= StartWaker();
            Monitor.PulseAll(Gate);
        }
        return alarm;
    }

    private static Thread StartWaker()
    {
        var thread = new Thread(Wake) { IsBackground = true, Name = "ContinuumControl CPU-time alarms" };
        thread.Start();
        return thread;
    }

    private static void Wake()
    {
        while (true)
        {
            Alarm? ringing = null;
            lock (Gate)
            {
                if (!Queue.TryPeek(out var next, out var at))
                {
                    Monitor.Wait(Gate);
                    continue;
                }
                var wait = at - Environment.TickCount64;
                if (wait > 0)
                {
                    Monitor.Wait(Gate, (int)Math.Min(wait, int.MaxValue));
                    continue;
                }
                ringing = Queue.Dequeue();
            }
            ringing?.Signal.Raise(SafePointReason.CpuCheck);
        }
    }
}
