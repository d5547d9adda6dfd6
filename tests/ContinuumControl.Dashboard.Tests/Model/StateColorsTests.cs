using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class StateColorsTests
{
    [Fact]
    public void ForWorkload_QueuedAndSuspended_AreDistinctFromEachOtherAndFromRunning()
    {
        var colours = new[] { WorkloadState.Pending, WorkloadState.Running, WorkloadState.Queued, WorkloadState.Suspended }.Select(StateColors.ForWorkload).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.False(WorkloadState.Queued.IsFinished);
        Assert.False(WorkloadState.Suspended.IsFinished);
    }
}
