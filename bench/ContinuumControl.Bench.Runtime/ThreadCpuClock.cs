using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ContinuumControl.Bench.Runtime;

/// <summary>
/// Times a call by wall clock or by the CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). Wasm runs on
/// the calling thread, so thread CPU time ignores the time the thread waited for a core: on a busy machine it is far
/// steadier than wall time (cache and memory-bandwidth contention still show).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    public static bool Available => OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out _) == 0;

    public static double Measure(Action action, bool cpu)
    {
        if (!cpu)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var before = Now();
        action();
        return Now() - before;
    }

    private static double Now() =>
        clock_gettime(ClockThreadCpuTime, out var spec) == 0 ? spec.Seconds + (spec.Nanoseconds / 1e9) : throw new InvalidOperationException("clock_gettime failed");

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec spec);
}
