using System.Collections.Immutable;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class MigrationPrecheckTests
{
    private readonly Contracts.Api.NodeDto _edge = TestData.Node("edge-1", "Edge");
    private readonly Contracts.Api.NodeDto _cloud = TestData.Node("cloud-1", "Cloud");

    [Fact]
    public void Refusals_ReadyNodeWithRoom_None()
    {
        Assert.Empty(MigrationPrecheck.Refusals(TestData.Workload("w", _edge), _cloud, inFlight: null));
    }

    [Theory]
    [InlineData("Down")]
    [InlineData("Draining")]
    public void Refusals_TargetNotReady_SaysItsState(string state)
    {
        var reason = Assert.Single(MigrationPrecheck.Refusals(TestData.Workload("w", _edge), _cloud with { State = state }, null));

        Assert.Equal($"cloud-1 is {state} and takes no workloads; pick a Ready node.", reason);
    }

    [Fact]
    public void Refusals_SameNode_SaysAlreadyThere()
    {
        Assert.Contains("already runs on edge-1", Assert.Single(MigrationPrecheck.Refusals(TestData.Workload("w", _edge), _edge, null)));
    }

    [Fact]
    public void Refusals_NotRunning_SaysOnlyRunningMoves()
    {
        var workload = TestData.Workload("w", _edge, state: "Pending");

        Assert.Contains("w is Pending; only a Running workload can be moved.", MigrationPrecheck.Refusals(workload, _cloud, null));
    }

    [Fact]
    public void Refusals_ExactlyEnoughMemory_None()
    {
        var workload = TestData.Workload("w", _edge);
        var target = _cloud with { MemoryBytes = 1L << 30, MemoryAllocatedBytes = (1L << 30) - workload.MemoryLimitBytes };

        Assert.Empty(MigrationPrecheck.Refusals(workload, target, null));
    }

    [Fact]
    public void Refusals_ClassAndLabelsUnmet_SaysEach()
    {
        var workload = TestData.Workload("w", _edge) with
        {
            RequiredClass = "edge",
            RequiredLabels = ImmutableDictionary<string, string>.Empty.Add("zone", "a").Add("gpu", "yes"),
        };
        var target = _cloud with { Labels = ImmutableDictionary<string, string>.Empty.Add("zone", "a") };

        var reasons = MigrationPrecheck.Refusals(workload, target, null);

        Assert.Equal(["w may only run on class edge; cloud-1 is Cloud.", "cloud-1 lacks the required label gpu=yes."], reasons);
    }

    [Fact]
    public void Refusals_EverythingWrong_CollectsEveryReason()
    {
        var workload = TestData.Workload("w", _edge, state: "Stopped");
        var target = _cloud with { State = "Down", MemoryAllocatedBytes = _cloud.MemoryBytes };

        var reasons = MigrationPrecheck.Refusals(workload, target, TestData.Migration(workload, _cloud, "Preparing"));

        Assert.Equal(4, reasons.Count);
    }
}
