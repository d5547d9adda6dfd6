using ContinuumControl.Domain.Nodes;
using ContinuumControl.Scheduling.Scoring;
using ContinuumControl.Scheduling.Tests.Harness;

namespace ContinuumControl.Scheduling.Tests.Scoring;

/// <summary>Each scorer orders nodes as its name promises, within 0..1.</summary>
public sealed class ScorerTests
{
    private readonly ClusterBuilder _cluster = new();

    private static void Prefers(IPlacementScorer scorer, NodeCandidate better, NodeCandidate worse, ScoringContext context)
    {
        var (b, w) = (scorer.Score(better, context), scorer.Score(worse, context));
        Assert.InRange(b, 0, 1);
        Assert.InRange(w, 0, 1);
        Assert.True(b > w, $"{scorer.Name}: {better.Name} {b:0.000} should beat {worse.Name} {w:0.000}");
    }

    [Fact]
    public void LeastAllocated_PrefersTheEmptierNode()
    {
        var busy = _cluster.Node("busy");
        var idle = _cluster.Node("idle");
        _cluster.Workload("w1", on: busy);
        var w = _cluster.Workload("new");
        var snapshot = _cluster.Snapshot();
        Prefers(new LeastAllocatedScorer(), snapshot.Nodes[1], snapshot.Nodes[0], new ScoringContext(w, null));
    }

    [Fact]
    public void Spread_PrefersANodeWithoutThatModule()
    {
        var crowded = _cluster.Node("crowded");
        _cluster.Node("fresh");
        _cluster.Workload("same", on: crowded, module: "m1");
        var w = _cluster.Workload("new", module: "m1");
        var snapshot = _cluster.Snapshot();
        Prefers(new SpreadScorer(), snapshot.Nodes[1], snapshot.Nodes[0], new ScoringContext(w, null));
    }

    [Fact]
    public void EdgeLocality_MoveStaysInTheZone_NewWorkPrefersTheEdge()
    {
        var source = _cluster.Node("src", labels: new() { ["zone"] = "factory-1" });
        var near = _cluster.Node("near", labels: new() { ["zone"] = "factory-1" });
        var far = _cluster.Node("far", labels: new() { ["zone"] = "factory-2" });
        var cloud = _cluster.Node("cloud", NodeClass.Cloud);
        var w = _cluster.Workload("w", on: source);
        Prefers(new EdgeLocalityScorer(), near, far, new ScoringContext(w, source));
        Prefers(new EdgeLocalityScorer(), far, cloud, new ScoringContext(w, source));
        Prefers(new EdgeLocalityScorer(), far, cloud, new ScoringContext(w, null));
    }

    [Fact]
    public void EnergyHeadroom_PrefersMains_ThenFullerStoresWithTimeLeft()
    {
        var mains = _cluster.Node("mains");
        var full = _cluster.Node("full", energy: 0.9);
        var falling = _cluster.Node("falling", energy: 0.9, secondsLeft: 60);
        var w = _cluster.Workload("w");
        Prefers(new EnergyHeadroomScorer(), mains, full, new ScoringContext(w, null));
        Prefers(new EnergyHeadroomScorer(), full, falling, new ScoringContext(w, null));
    }

    [Fact]
    public void MigrationCost_PrefersTargetsWithTheModule_AndNewPlacementsCostNothing()
    {
        var source = _cluster.Node("src");
        var warm = _cluster.Node("warm");
        var cold = _cluster.Node("cold");
        _cluster.Workload("twin", on: warm, module: "m1");
        var w = _cluster.Workload("w", on: source, module: "m1");
        var snapshot = _cluster.Snapshot();
        Prefers(new MigrationCostScorer(), snapshot.Nodes[1], snapshot.Nodes[2], new ScoringContext(w, snapshot.Nodes[0]));
        Assert.Equal(1, new MigrationCostScorer().Score(cold, new ScoringContext(w, null)));
    }
}
