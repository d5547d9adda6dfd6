using System.Diagnostics;

namespace ContinuumControl.Bench.Runtime;

/// <summary>
/// Times a call by wall clock or by the CPU time of the calling thread (the runtime's own clock). Wasm runs on the
/// calling thread, so thread CPU time ignores the time the thread waited for a core: on a busy machine it is far
/// steadier than wall time (cache and memory-bandwidth contention still show).
/// </summary>
internal static class ThreadCpuClock
{
    public static bool Available => ContinuumControl.Runtime.Execution.ThreadCpuClock.IsThreadCpuTime;

    public static double Measure(Action action, bool cpu)
    {
        if (!cpu)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var before = ContinuumControl.Runtime.Execution.ThreadCpuClock.Now();
        action();
        return (ContinuumControl.Runtime.Execution.ThreadCpuClock.Now() - before).TotalSeconds;
    }
}
