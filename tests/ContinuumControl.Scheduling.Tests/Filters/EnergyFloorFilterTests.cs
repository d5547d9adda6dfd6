using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Scheduling.Filters;

namespace ContinuumControl.Scheduling.Tests.Filters;

public sealed class EnergyFloorFilterTests
{
    private static readonly PlacementRequest Any = new(0, new WorkloadConstraints(null, new Dictionary<string, string>()), []);
    private readonly EnergyFloorFilter _filter = new(new EnergyOptions { MinLevel = 0.3, MinSecondsLeft = 120 });

    private static NodeCandidate Node(double? level, double? secondsLeft) =>
        new(Guid.NewGuid(), "solar", NodeClass.Edge, NodeState.Ready, 1024, 0, 0, new Dictionary<string, string>(), []) { EnergyLevel = level, EnergySecondsLeft = secondsLeft };

    [Fact]
    public void Reject_MainsPowered_Passes() => Assert.Null(_filter.Reject(Node(null, null), Any));

    [Fact]
    public void Reject_FullStoreNotFalling_Passes() => Assert.Null(_filter.Reject(Node(0.9, null), Any));

    [Fact]
    public void Reject_BelowTheFloor_SaysTheLevels() =>
        Assert.Equal("energy store at 20%, below the floor of 30%", _filter.Reject(Node(0.2, null), Any)?.Replace(" %", "%"));

    [Fact]
    public void Reject_RunsOutSoon_SaysWhen() =>
        Assert.Equal("energy store runs out in 45 s at its current draw, under the 120 s floor", _filter.Reject(Node(0.8, 45), Any));
}
