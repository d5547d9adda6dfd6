using System.Diagnostics;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Execution;

/// <summary>The CPU-time alarms ring from their own thread, in order of their due times, and not once cancelled.</summary>
public class CpuTimeAlarmsTests
{
    private static async Task<bool> RaisedWithin(SafePointSignal signal, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!signal.IsRaised && clock.Elapsed < timeout)
        {
            await Task.Delay(5);
        }
        return signal.IsRaised;
    }

    [Fact]
    public async Task Set_RaisesTheCpuCheck_OnceDue()
    {
        var signal = new SafePointSignal();
        var clock = Stopwatch.StartNew();

        CpuTimeAlarms.Set(signal, TimeSpan.FromMilliseconds(100));

        Assert.True(await RaisedWithin(signal, TimeSpan.FromSeconds(10)));
        // Not before it is due (less the millisecond clock's granularity).
        Assert.True(clock.ElapsedMilliseconds >= 90, $"rang after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(SafePointReason.CpuCheck, signal.Take());
    }

    [Fact]
    public async Task Cancel_BeforeDue_NothingIsRaised_WhileALaterAlarmStillRings()
    {
        var cancelled = new SafePointSignal();
        var kept = new SafePointSignal();

        CpuTimeAlarms.Set(cancelled, TimeSpan.FromMilliseconds(20)).Cancel();
        CpuTimeAlarms.Set(kept, TimeSpan.FromMilliseconds(200));

        Assert.True(await RaisedWithin(kept, TimeSpan.FromSeconds(10)));
        Assert.False(cancelled.IsRaised);
    }
}
