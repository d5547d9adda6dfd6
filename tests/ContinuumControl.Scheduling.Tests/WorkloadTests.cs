using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling.Tests;

/// <summary>The workload state machine (Domain), tested here with the other pure logic.</summary>
public sealed class WorkloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static Workload Placed()
    {
        var w = new Workload { Id = Guid.NewGuid(), Name = "w", ModuleHash = new string('a', 64) };
        w.Place(Guid.NewGuid());
        return w;
    }

    [Fact]
    public void Place_BumpsGeneration()
    {
        var w = Placed();
        Assert.Equal(1, w.Generation);
        w.Place(Guid.NewGuid());
        Assert.Equal(2, w.Generation);
        Assert.Equal(WorkloadState.Pending, w.State);
    }

    [Fact]
    public void ApplyReport_StaleGeneration_IsIgnored()
    {
        var w = Placed();
        Assert.False(w.ApplyReport(0, WorkloadState.Completed, 0, null, Now));
        Assert.Equal(WorkloadState.Pending, w.State);
    }

    [Fact]
    public void ApplyReport_RunningThenCompleted_RecordsTimesAndExitCode()
    {
        var w = Placed();
        Assert.True(w.ApplyReport(1, WorkloadState.Running, null, null, Now));
        Assert.True(w.ApplyReport(1, WorkloadState.Completed, 0, null, Now.AddSeconds(3)));
        Assert.Equal(Now, w.StartedAt);
        Assert.Equal(Now.AddSeconds(3), w.FinishedAt);
        Assert.Equal(0, w.ExitCode);
    }

    [Fact]
    public void ApplyReport_AfterFinish_ChangesNothing()
    {
        var w = Placed();
        w.ApplyReport(1, WorkloadState.Failed, null, "trapped", Now);
        Assert.False(w.ApplyReport(1, WorkloadState.Completed, 0, null, Now));
        Assert.Equal("trapped", w.FailureReason);
    }

    [Fact]
    public void Stop_FinishesWithReason_AndIsIdempotent()
    {
        var w = Placed();
        w.Stop(Now);
        w.Stop(Now.AddSeconds(1));
        Assert.Equal(WorkloadState.Stopped, w.State);
        Assert.Equal(Now, w.FinishedAt);
        Assert.Equal("stopped on request", w.FailureReason);
    }
}
