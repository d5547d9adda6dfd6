using System.Diagnostics;

namespace ContinuumControl.Agent.Connection;

/// <summary>CPU and memory use of this agent's process (which is where its workloads run).</summary>
public sealed class UsageSampler
{
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastTicks = Stopwatch.GetTimestamp();

    public (double CpuPercent, long MemoryBytes) Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_lastTicks, now);
        var percent = elapsed.TotalMilliseconds <= 0 ? 0 : (cpu - _lastCpu).TotalMilliseconds / (elapsed.TotalMilliseconds * Environment.ProcessorCount) * 100;
        _lastCpu = cpu;
        _lastTicks = now;
        return (Math.Clamp(percent, 0, 100), process.WorkingSet64);
    }
}
