using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;

namespace ContinuumControl.Dashboard.Tests.Components.Controls;

public sealed class OutputViewTests : DashboardTestContext
{
    private readonly Guid _workloadId = Guid.NewGuid();

    private IRenderedComponent<OutputView> RenderView() => Render<OutputView>(p => p.Add(v => v.WorkloadId, _workloadId));

    [Fact]
    public void Render_OutputAlreadyWritten_ShowsItFromOffsetZero()
    {
        Client.Write(_workloadId, "stdout", "hello\n");
        Client.Write(_workloadId, "stderr", "warning: slow\n");

        var cut = RenderView();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("hello\n", cut.Find("[data-testid=output-stdout]").TextContent);
            Assert.Equal("warning: slow\n", cut.Find("[data-testid=output-stderr]").TextContent);
        });
    }

    [Fact]
    public void Watch_OutputAppended_AppendsStreamedText()
    {
        Client.Write(_workloadId, "stdout", "line 1\n");
        var cut = RenderView();
        cut.WaitForAssertion(() => Assert.Equal("line 1\n", cut.Find("[data-testid=output-stdout]").TextContent));

        Client.Append(_workloadId, "stdout", "line 2\n");
        Client.Append(_workloadId, "stdout", "línea 3 ✓\n");

        cut.WaitForAssertion(() => Assert.Equal("line 1\nline 2\nlínea 3 ✓\n", cut.Find("[data-testid=output-stdout]").TextContent));
    }

    [Fact]
    public void Watch_SliceAlreadyHeldArrivesAgain_IsNotDuplicated()
    {
        var first = Client.Write(_workloadId, "stdout", "abc\n");
        var cut = RenderView();
        cut.WaitForAssertion(() => Assert.Equal("abc\n", cut.Find("[data-testid=output-stdout]").TextContent));

        Client.Publish(new ClusterChange(ClusterChangeKind.OutputAppended, Output: first, OutputWorkloadId: _workloadId));
        Client.Append(_workloadId, "stdout", "def\n");

        cut.WaitForAssertion(() => Assert.Equal("abc\ndef\n", cut.Find("[data-testid=output-stdout]").TextContent));
    }

    [Fact]
    public void Watch_SliceMissed_FetchesTheGap()
    {
        var cut = RenderView();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.Write(_workloadId, "stdout", "never announced\n");
        Client.Append(_workloadId, "stdout", "announced\n");

        cut.WaitForAssertion(() => Assert.Equal("never announced\nannounced\n", cut.Find("[data-testid=output-stdout]").TextContent));
    }

    [Fact]
    public void Watch_OtherWorkloadsOutput_IsIgnored()
    {
        var cut = RenderView();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.Append(Guid.NewGuid(), "stdout", "not mine\n");
        Client.Append(_workloadId, "stderr", "mine\n");

        cut.WaitForAssertion(() => Assert.Equal("mine\n", cut.Find("[data-testid=output-stderr]").TextContent));
        Assert.Equal("", cut.Find("[data-testid=output-stdout]").TextContent);
    }

    [Fact]
    public void Watch_FinishedSlice_SaysNothingMoreWillCome()
    {
        var cut = RenderView();
        cut.WaitForAssertion(() => Assert.Equal(1, Client.WatcherCount));

        Client.Append(_workloadId, "stdout", "done\n", finished: true);

        cut.WaitForAssertion(() => Assert.Contains("Finished", cut.Find("[data-testid=output-stdout-status]").TextContent));
    }
}
