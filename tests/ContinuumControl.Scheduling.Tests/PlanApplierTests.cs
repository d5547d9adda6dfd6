using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Tests.Harness;

namespace ContinuumControl.Scheduling.Tests;

/// <summary>Optimistic concurrency: what changed between planning and applying is rejected with the reason; the rest still commits.</summary>
public sealed class PlanApplierTests
{
    private readonly ClusterBuilder _cluster = new();

    [Fact]
    public void Check_NodeFilledSincePlanning_RejectsThatItem_AcceptsTheRest()
    {
        var a = _cluster.Node("a", memoryMiB: 128);
        var b = _cluster.Node("b", memoryMiB: 128);
        var first = _cluster.Workload("first", memoryMiB: 64);
        var second = _cluster.Workload("second", memoryMiB: 64);
        var plan = new Plan(Guid.NewGuid(), [new PlannedPlacement(first.Id, a.Id, 1, "", false), new PlannedPlacement(second.Id, b.Id, 1, "", false)], [], []);
        _cluster.Workload("sneaked-in", on: a, memoryMiB: 100);

        var result = new PlanApplier().Check(plan, _cluster.Snapshot());

        Assert.Equal(second.Id, Assert.Single(result.Placements).WorkloadId);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(first.Id, rejected.WorkloadId);
        Assert.StartsWith("a changed since planning: not enough memory", rejected.Reason);
    }

    [Fact]
    public void Check_TwoItemsForTheSameRoom_OnlyTheFirstFits()
    {
        var a = _cluster.Node("a", memoryMiB: 100);
        var x = _cluster.Workload("x", memoryMiB: 64);
        var y = _cluster.Workload("y", memoryMiB: 64);
        var plan = new Plan(Guid.NewGuid(), [new PlannedPlacement(x.Id, a.Id, 1, "", false), new PlannedPlacement(y.Id, a.Id, 1, "", false)], [], []);
        var result = new PlanApplier().Check(plan, _cluster.Snapshot());
        Assert.Equal(x.Id, Assert.Single(result.Placements).WorkloadId);
        Assert.Equal(y.Id, Assert.Single(result.Rejected).WorkloadId);
    }

    [Fact]
    public void Check_WorkloadMovedOrStoppedOrMigratingSincePlanning_IsRejected()
    {
        var a = _cluster.Node("a");
        var b = _cluster.Node("b");
        var c = _cluster.Node("c");
        var moved = _cluster.Workload("moved", on: c);
        var stopped = _cluster.Workload("stopped", on: a, state: WorkloadState.Suspended);
        var migrating = _cluster.Workload("migrating", on: a);
        _cluster.InFlight(migrating, a, c);
        var plan = new Plan(Guid.NewGuid(), [],
            [new PlannedMigration(moved.Id, a.Id, b.Id, 1, ""), new PlannedMigration(stopped.Id, a.Id, b.Id, 1, ""), new PlannedMigration(migrating.Id, a.Id, b.Id, 1, "")], []);

        var result = new PlanApplier().Check(plan, _cluster.Snapshot());

        Assert.Empty(result.Migrations);
        Assert.Equal(["moved moved since planning", "stopped is Suspended now, not Running", "migrating is migrating already"], result.Rejected.Select(r => r.Reason));
    }
}
