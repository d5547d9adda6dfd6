using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Components.Controls;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Components.Controls;

public sealed class WorkloadDetailsRestartTests : DashboardTestContext
{
    [Fact]
    public void Render_RestartedWorkload_ShowsPolicyAttemptCountAndWhyEachEnded()
    {
        var node = TestData.Node("edge-1");
        var restart = new WorkloadRestartDto(RestartPolicy.OnFailure, 2, 1, 1, 2, null,
        [
            new WorkloadAttemptDto(1, node.Id, TestData.Now.AddSeconds(-40), TestData.Now.AddSeconds(-30), "failed: trap: unreachable; restart 1 of 2 after 1 s", false),
            new WorkloadAttemptDto(2, node.Id, TestData.Now.AddSeconds(-29), null, null, false),
        ]);
        var workload = TestData.Workload("flaky", node) with { Restart = restart };

        var cut = Render<WorkloadDetails>(p => p.Add(x => x.Workload, workload));

        Assert.Contains("OnFailure (at most 2 restarts, backoff 1 s doubling)", cut.Find("[data-testid=workload-restart-policy]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=workload-attempt-count]").TextContent);
        var attempts = cut.FindAll("[data-testid=workload-attempt]");
        Assert.Equal(2, attempts.Count);
        Assert.Contains("failed: trap: unreachable; restart 1 of 2 after 1 s", attempts[0].TextContent);
        Assert.Contains("running now", attempts[1].TextContent);
    }

    [Fact]
    public void Render_FirstRun_ShowsCountWithoutList()
    {
        var workload = TestData.Workload("sensor", TestData.Node("edge-1")) with
        {
            Restart = new WorkloadRestartDto(RestartPolicy.OnNodeLoss, 3, 1, 0, 1, null, [new WorkloadAttemptDto(1, null, TestData.Now, null, null, false)]),
        };

        var cut = Render<WorkloadDetails>(p => p.Add(x => x.Workload, workload));

        Assert.Equal("OnNodeLoss", cut.Find("[data-testid=workload-restart-policy]").TextContent.Trim());
        Assert.Equal("1", cut.Find("[data-testid=workload-attempt-count]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=workload-attempt]"));
    }
}
