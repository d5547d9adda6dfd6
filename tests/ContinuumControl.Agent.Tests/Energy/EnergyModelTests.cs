using ContinuumControl.Agent.Energy;

namespace ContinuumControl.Agent.Tests.Energy;

public class EnergyModelTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static EnergySupplyOptions Options(double initial = 0.5) => new()
    {
        Enabled = true,
        CapacityJoules = 1000,
        InitialLevel = initial,
        HarvestWatts = 3,
        IdleWatts = 1,
        WattsPerRunningWorkload = 2,
        SuspendLevel = 0.05,
        ResumeMargin = 0.05,
    };

    [Fact]
    public void Update_IntegratesNetPowerOfThePreviousInterval()
    {
        var model = new EnergyModel(Options(), Start);

        // Idle until now: +2 W for 10 s = +20 J = +0.02; from here on 2 workloads draw 5 W in total.
        model.Update(Start.AddSeconds(10), runningWorkloads: 2);
        Assert.Equal(0.52, model.Level, 6);
        Assert.Equal(5, model.DrawWatts);

        // 3 W harvest - 5 W draw = -2 W for 20 s = -40 J = -0.04.
        model.Update(Start.AddSeconds(30), runningWorkloads: 2);
        Assert.Equal(0.48, model.Level, 6);
    }

    [Fact]
    public void Update_ClampsToEmptyAndFull()
    {
        var full = new EnergyModel(Options(initial: 0.99), Start);
        var empty = new EnergyModel(Options(initial: 0.01), Start);
        empty.Update(Start, runningWorkloads: 10);

        full.Update(Start.AddHours(1), runningWorkloads: 0);
        empty.Update(Start.AddHours(1), runningWorkloads: 10);

        Assert.Equal(1, full.Level);
        Assert.Equal(0, empty.Level);
    }

    [Fact]
    public void SecondsLeft_Falling_IsTimeUntilTheSuspendLevel()
    {
        var model = new EnergyModel(Options(initial: 0.45), Start);

        model.Update(Start, runningWorkloads: 2);
        var report = model.Report();

        // (0.45 - 0.05) * 1000 J / 2 W net draw.
        Assert.Equal(200, report.SecondsLeft!.Value, 6);
        Assert.Equal((0.45, 3.0, 5.0), (report.Level, report.HarvestWatts, report.DrawWatts));
    }

    [Fact]
    public void SecondsLeft_NotFalling_IsNull()
    {
        var model = new EnergyModel(Options(), Start);

        model.Update(Start, runningWorkloads: 1);

        Assert.Null(model.SecondsLeft);
    }

    [Fact]
    public void Update_FallsToSuspendLevel_SuspendsOnce_ThenResumesOnlyAboveTheMargin()
    {
        var model = new EnergyModel(Options(initial: 0.1), Start);
        Assert.Equal(EnergyTransition.None, model.Update(Start, runningWorkloads: 2));

        // -2 W net: 0.1 -> 0.05 takes 25 s.
        Assert.Equal(EnergyTransition.None, model.Update(Start.AddSeconds(24), runningWorkloads: 2));
        Assert.Equal(EnergyTransition.Suspend, model.Update(Start.AddSeconds(26), runningWorkloads: 2));
        Assert.True(model.Suspending);
        Assert.Equal(EnergyTransition.None, model.Update(Start.AddSeconds(27), runningWorkloads: 0));

        // 0.046 at 27 s, then +2 W net while suspended: 0.1 (suspend level + margin) is reached at 54 s.
        Assert.Equal(EnergyTransition.None, model.Update(Start.AddSeconds(53), runningWorkloads: 0));
        Assert.Equal(EnergyTransition.Resume, model.Update(Start.AddSeconds(55), runningWorkloads: 0));
        Assert.False(model.Suspending);
    }

    [Fact]
    public void Update_StartsAtOrBelowSuspendLevel_SuspendsAtFirstUpdate()
    {
        var model = new EnergyModel(Options(initial: 0.05), Start);

        Assert.Equal(EnergyTransition.Suspend, model.Update(Start, runningWorkloads: 0));
    }
}
