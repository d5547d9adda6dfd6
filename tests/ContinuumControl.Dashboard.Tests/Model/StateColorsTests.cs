using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class StateColorsTests
{
    [Fact]
    public void ForWorkload_QueuedAndSuspended_AreDistinctFromEachOtherAndFromRunning()
    {
        var colours = new[] { "Pending", "Running", "Queued", "Suspended" }.Select(StateColors.ForWorkload).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.True(StateColors.IsActive("Queued"));
        Assert.True(StateColors.IsActive("Suspended"));
    }
}
