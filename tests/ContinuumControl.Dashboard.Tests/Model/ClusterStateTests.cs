using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class ClusterStateTests
{
    [Fact]
    public void Unplaced_WorkloadOnUnknownNodeOrNone_IsListed()
    {
        var edge = TestData.Node("edge-1");
        var placed = TestData.Workload("placed", edge);
        var orphan = TestData.Workload("orphan", TestData.Node("gone"));
        var refused = TestData.Workload("refused", state: WorkloadState.Failed, failureReason: "no node fits");
        var state = new ClusterState();

        state.Load(new DashboardSnapshot([edge], [placed, orphan, refused], []));

        Assert.Equal(["orphan", "refused"], state.Unplaced.Select(w => w.Name).Order());
        Assert.Equal([placed.Id], state.WorkloadsOn(edge.Id).Select(w => w.Id));
    }

    [Fact]
    public void WorkloadsOn_FinishedWorkloads_AreLeftOut()
    {
        var edge = TestData.Node("edge-1");
        var running = TestData.Workload("running", edge);
        var queued = TestData.Workload("queued", edge, state: WorkloadState.Queued);
        var done = TestData.Workload("done", edge, state: WorkloadState.Completed, exitCode: 0);
        var state = new ClusterState();

        state.Load(new DashboardSnapshot([edge], [running, queued, done], []));
        state.Apply(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: running with { State = WorkloadState.Failed }));

        Assert.Equal([queued.Id], state.WorkloadsOn(edge.Id).Select(w => w.Id));
    }

    [Fact]
    public void Apply_ManyWorkloadsFinish_KeepsOnlyTheNewestFinished()
    {
        var edge = TestData.Node("edge-1");
        var state = new ClusterState();
        var stillRunning = TestData.Workload("still-running", edge) with { CreatedAt = TestData.Now.AddDays(-1) };
        state.Load(new DashboardSnapshot([edge], [stillRunning], []));

        for (var i = 0; i < ClusterState.MaxFinished + 30; i++)
        {
            var w = TestData.Workload($"w{i}", edge, state: WorkloadState.Completed) with { CreatedAt = TestData.Now.AddSeconds(i) };
            state.Apply(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: w));
        }

        Assert.Equal(ClusterState.MaxFinished + 1, state.Workloads.Count());
        Assert.NotNull(state.FindWorkload(stillRunning.Id));
        Assert.DoesNotContain(state.Workloads, w => w.Name == "w29");
        Assert.Contains(state.Workloads, w => w.Name == "w30");
    }

    [Fact]
    public void Apply_OutputChange_ReportsNothingChanged()
    {
        var state = new ClusterState();

        var changed = state.Apply(new ClusterChange(ClusterChangeKind.OutputAppended, Output: new OutputDto("stdout", 0, 1, "x", false), OutputWorkloadId: Guid.NewGuid()));

        Assert.False(changed);
    }

    [Fact]
    public void NodesOfClass_MixedClasses_ReturnsThatClassByName()
    {
        var state = new ClusterState();
        state.Load(new DashboardSnapshot([TestData.Node("b", NodeClass.Edge), TestData.Node("a", NodeClass.Edge), TestData.Node("c", NodeClass.Cloud)], [], []));

        Assert.Equal(["a", "b"], state.NodesOfClass(NodeClass.Edge).Select(n => n.Name));
    }
}
