using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Scheduling.Tests.Harness;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Scheduling.Tests;

/// <summary>One test (or a few) per evaluation trigger: what the plan holds, and the reasons of what it refuses.</summary>
public sealed class SchedulerTests
{
    private readonly ClusterBuilder _cluster = new();

    [Fact]
    public void Submitted_PlacesOnTheBestNode_AndRefusesWithEveryCandidatesReason()
    {
        _cluster.Node("small", memoryMiB: 32);
        _cluster.Node("cordoned", state: NodeState.Cordoned);
        var fits = _cluster.Node("fits");
        var w = _cluster.Workload("w", memoryMiB: 64);
        var plan = _cluster.Evaluate(EvaluationTrigger.Submitted, workload: w.Id);
        Assert.Equal(fits.Id, Assert.Single(plan.Placements).NodeId);

        var big = _cluster.Workload("big", memoryMiB: 4096);
        var refused = _cluster.Evaluate(EvaluationTrigger.Submitted, workload: big.Id);
        Assert.Empty(refused.Placements);
        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal(["cordoned:NodeReady", "fits:ResourceFit", "small:ResourceFit"], refusal.Candidates.Select(c => $"{c.NodeName}:{c.Filter}").Order());
        Assert.Contains("not enough memory", refusal.Candidates.First(c => c.NodeName == "small").Reason);
    }

    [Fact]
    public void Submitted_ManyInOnePlan_SeeEachOthersCapacity()
    {
        _cluster.Node("a", memoryMiB: 128);
        _cluster.Node("b", memoryMiB: 128);
        for (var i = 0; i < 5; i++)
        {
            _cluster.Workload($"w{i}", memoryMiB: 64);
        }
        var plan = _cluster.Evaluate(EvaluationTrigger.Submitted);
        Assert.Equal(4, plan.Placements.Count);
        Assert.Equal(2, plan.Placements.Count(p => _cluster.Name(p.NodeId) == "a"));
        Assert.Single(plan.Refusals);
    }

    [Fact]
    public void NodeDown_ReplacesItsWork_ResumingFromCheckpointsWhereThereAreSome()
    {
        var lost = _cluster.Node("lost", state: NodeState.Down);
        var survivor = _cluster.Node("survivor");
        var withCheckpoint = _cluster.Workload("cp", on: lost, checkpoint: true);
        var without = _cluster.Workload("fresh", on: lost, state: WorkloadState.Queued);
        var plan = _cluster.Evaluate(EvaluationTrigger.NodeDown, node: lost.Id);
        Assert.Equal(2, plan.Placements.Count);
        Assert.All(plan.Placements, p => Assert.Equal(survivor.Id, p.NodeId));
        Assert.True(plan.Placements.Single(p => p.WorkloadId == withCheckpoint.Id).FromCheckpoint);
        Assert.False(plan.Placements.Single(p => p.WorkloadId == without.Id).FromCheckpoint);
        Assert.Contains("resumes from its last checkpoint", plan.Placements.Single(p => p.WorkloadId == withCheckpoint.Id).Reason);
    }

    [Fact]
    public void NodeDown_HighPriorityFirst_WhenCapacityIsShort()
    {
        var lost = _cluster.Node("lost", state: NodeState.Down);
        _cluster.Node("survivor", memoryMiB: 64);
        _cluster.Workload("low", on: lost, priority: WorkloadPriority.Low);
        var high = _cluster.Workload("high", on: lost, priority: WorkloadPriority.High);
        var plan = _cluster.Evaluate(EvaluationTrigger.NodeDown, node: lost.Id);
        Assert.Equal(high.Id, Assert.Single(plan.Placements).WorkloadId);
        Assert.Single(plan.Refusals);
    }

    [Fact]
    public void Drain_MigratesRunning_RePlacesQueued_AndLeavesPinnedWithTheReason()
    {
        var draining = _cluster.Node("draining", state: NodeState.Draining);
        var other = _cluster.Node("other");
        var running = _cluster.Workload("running", on: draining);
        var queued = _cluster.Workload("queued", on: draining, state: WorkloadState.Queued);
        var pinned = _cluster.Workload("pinned", on: draining, pinned: true);
        var plan = _cluster.Evaluate(EvaluationTrigger.Drain, node: draining.Id);
        var migration = Assert.Single(plan.Migrations);
        Assert.Equal((running.Id, draining.Id, other.Id), (migration.WorkloadId, migration.FromNodeId, migration.ToNodeId));
        Assert.Equal(queued.Id, Assert.Single(plan.Placements).WorkloadId);
        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal(pinned.Id, refusal.WorkloadId);
        Assert.Equal("pinned to draining; unpin it to let the drain move it", refusal.Reason);
    }

    [Fact]
    public void OperatorMove_ToARefusingNode_SaysWhy_ToAFittingOne_Migrates()
    {
        var source = _cluster.Node("source");
        var small = _cluster.Node("small", memoryMiB: 16);
        var roomy = _cluster.Node("roomy");
        var w = _cluster.Workload("w", on: source, pinned: true);
        var refused = _cluster.Evaluate(EvaluationTrigger.OperatorMove, workload: w.Id, target: small.Id);
        var refusal = Assert.Single(refused.Refusals);
        Assert.StartsWith("small cannot take w: not enough memory", refusal.Reason);
        Assert.Equal("ResourceFit", Assert.Single(refusal.Candidates).Filter);

        var moved = _cluster.Evaluate(EvaluationTrigger.OperatorMove, workload: w.Id, target: roomy.Id);
        Assert.Equal(roomy.Id, Assert.Single(moved.Migrations).ToNodeId);
        Assert.Equal(roomy.Id, Assert.Single(_cluster.Evaluate(EvaluationTrigger.OperatorMove, workload: w.Id).Migrations).ToNodeId);
    }

    [Fact]
    public void Offload_GoesToANodeWithAFreeSlot()
    {
        var busy = _cluster.Node("busy", slots: 1);
        var full = _cluster.Node("full", slots: 1);
        var free = _cluster.Node("free", slots: 2);
        _cluster.Workload("runs", on: busy);
        _cluster.Workload("fills", on: full);
        var waiting = _cluster.Workload("waiting", on: busy, state: WorkloadState.Queued);
        var plan = _cluster.Evaluate(EvaluationTrigger.Offload, node: busy.Id, workload: waiting.Id);
        Assert.Equal(free.Id, Assert.Single(plan.Placements).NodeId);

        var noRoom = new ClusterBuilder();
        var only = noRoom.Node("only", slots: 1);
        var alsoFull = noRoom.Node("also-full", slots: 1);
        noRoom.Workload("runs", on: only);
        noRoom.Workload("fills", on: alsoFull);
        var stuck = noRoom.Workload("stuck", on: only, state: WorkloadState.Queued);
        var refusal = Assert.Single(noRoom.Evaluate(EvaluationTrigger.Offload, node: only.Id, workload: stuck.Id).Refusals);
        Assert.Equal("no free slot: 1 of 1 taken", Assert.Single(refusal.Candidates).Reason);
    }

    [Fact]
    public void EnergyLow_EmptiesTheLowNodeOntoPoweredOnes_AndLeavesPinnedWork()
    {
        var low = _cluster.Node("solar-low", energy: 0.15);
        var alsoLow = _cluster.Node("solar-other", energy: 0.2);
        var mains = _cluster.Node("mains", NodeClass.Cloud);
        _cluster.Node("solar-full", energy: 0.95, secondsLeft: 20);
        var w = _cluster.Workload("w", on: low);
        var pinned = _cluster.Workload("stays", on: low, pinned: true);
        var plan = _cluster.Evaluate(EvaluationTrigger.EnergyLow);
        var migration = Assert.Single(plan.Migrations);
        Assert.Equal((w.Id, mains.Id), (migration.WorkloadId, migration.ToNodeId));
        Assert.Contains("energy store at", migration.Reason);
        Assert.Equal(pinned.Id, Assert.Single(plan.Refusals).WorkloadId);
        Assert.Empty(_cluster.Evaluate(EvaluationTrigger.EnergyLow, node: alsoLow.Id).Migrations);
    }

    [Fact]
    public void Rebalance_SpreadsACrowdedNode_ThenStaysPut()
    {
        var crowded = _cluster.Node("n1");
        _cluster.Node("n2");
        _cluster.Node("n3");
        var crowd = Enumerable.Range(0, 6).Select(i => _cluster.Workload($"w{i}", on: crowded, memoryMiB: 32)).ToList();
        var options = new SchedulerOptions { Rebalance = new RebalanceOptions { MaxConcurrentPerNode = 8, CooldownSeconds = 0 } };
        var first = _cluster.Evaluate(EvaluationTrigger.Rebalance, options: options);
        _cluster.Apply(first);
        var counts = crowd.GroupBy(_cluster.NodeOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.True(counts.Values.Max() - counts.Values.Min() <= 1, string.Join(", ", counts));

        for (var round = 0; round < 3; round++)
        {
            Assert.True(_cluster.Evaluate(EvaluationTrigger.Rebalance, options: options).IsEmpty, "a balanced cluster moved again: ping-pong");
        }
    }

    [Fact]
    public void Rebalance_OneWorkloadOnTwoNodes_NeverMoves()
    {
        var a = _cluster.Node("a", slots: 2);
        _cluster.Node("b", slots: 2);
        _cluster.Workload("only", on: a);
        Assert.True(_cluster.Evaluate(EvaluationTrigger.Rebalance, options: new SchedulerOptions { Rebalance = new RebalanceOptions { CooldownSeconds = 0 } }).IsEmpty);
    }

    [Fact]
    public void Rebalance_RespectsCapsCooldownPinsAndMigrationsInFlight()
    {
        var crowded = _cluster.Node("crowded");
        var other = _cluster.Node("other");
        _cluster.Node("third");
        var moving = _cluster.Workload("moving", on: crowded);
        _cluster.Workload("pinned", on: crowded, pinned: true);
        _cluster.Workload("recent", on: crowded, lastMovedAt: _cluster.Time.GetUtcNow().AddSeconds(-10));
        for (var i = 0; i < 3; i++)
        {
            _cluster.Workload($"free{i}", on: crowded);
        }
        _cluster.InFlight(moving, crowded, other);
        var plan = _cluster.Evaluate(EvaluationTrigger.Rebalance, options: new SchedulerOptions { Rebalance = new RebalanceOptions { MaxConcurrentPerNode = 2, CooldownSeconds = 60 } });
        var migration = Assert.Single(plan.Migrations);
        Assert.StartsWith("free", _cluster.Snapshot().Workloads.Single(w => w.Id == migration.WorkloadId).Name);

        var capped = _cluster.Evaluate(EvaluationTrigger.Rebalance, options: new SchedulerOptions { Rebalance = new RebalanceOptions { MaxConcurrentPerCluster = 1 } });
        Assert.True(capped.IsEmpty, "the cluster cap counts the migration in flight");
    }

    [Fact]
    public void Submitted_RoomReservedByAMigrationInFlight_IsNotPromisedTwice()
    {
        var source = _cluster.Node("source", memoryMiB: 100);
        var target = _cluster.Node("target", memoryMiB: 100);
        var moving = _cluster.Workload("moving", on: source, memoryMiB: 64);
        _cluster.InFlight(moving, source, target);
        var newcomer = _cluster.Workload("newcomer", memoryMiB: 64);
        var plan = _cluster.Evaluate(EvaluationTrigger.Submitted, workload: newcomer.Id);
        Assert.Empty(plan.Placements);
        var onTarget = Assert.Single(plan.Refusals).Candidates.Single(c => c.NodeName == "target");
        Assert.Equal("ResourceFit", onTarget.Filter);
    }

    [Fact]
    public void Process_SameEvaluationAndSnapshot_SamePlan()
    {
        for (var i = 0; i < 50; i++)
        {
            _cluster.Node($"n{i:00}");
        }
        var w = _cluster.Workload("w");
        var options = new SchedulerOptions { MaxCandidates = 3 };
        var scheduler = new Scheduler(SchedulerConfiguration.Build(options), _cluster.Time);
        var evaluation = new Evaluation(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), EvaluationTrigger.Submitted, "test", WorkloadId: w.Id);
        var snapshot = _cluster.Snapshot();
        Assert.Equal(scheduler.Process(evaluation, snapshot).Placements.Single().NodeId, scheduler.Process(evaluation, snapshot).Placements.Single().NodeId);
    }
}
