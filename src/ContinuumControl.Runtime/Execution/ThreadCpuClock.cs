using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ContinuumControl.Runtime.Execution;

/// <summary>CPU time consumed by the calling thread (Linux: CLOCK_THREAD_CPUTIME_ID); elsewhere, elapsed time as an upper bound.</summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>True where <see cref="Now"/> is the thread's CPU time rather than elapsed time.</summary>
    public static bool IsThreadCpuTime => OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out _) == 0;

    /// <summary>The calling thread's CPU time so far (elapsed time where the platform cannot tell).</summary>
    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var spec) == 0)
        {
            return TimeSpan.FromTicks(spec.Seconds * TimeSpan.TicksPerSecond + spec.Nanoseconds / 100);
        }
        return Stopwatch.GetElapsedTime(0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec spec);
}
