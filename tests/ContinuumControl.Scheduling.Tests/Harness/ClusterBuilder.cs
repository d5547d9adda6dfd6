using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using Microsoft.Extensions.Time.Testing;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Scheduling.Tests.Harness;

/// <summary>
/// Builds snapshots for scheduler tests, runs evaluations with deterministic time and fixed evaluation ids (which
/// seed the sampling), and records every plan the scheduler submits (Nomad's scheduler test harness).
/// </summary>
public sealed class ClusterBuilder
{
    public const long MiB = 1024 * 1024;
    private readonly List<NodeCandidate> _nodes = [];
    private readonly List<WorkloadView> _workloads = [];
    private readonly List<MigrationInFlight> _inFlight = [];
    private int _evaluations;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public List<Plan> Submitted { get; } = [];

    public NodeCandidate Node(string name, NodeClass nodeClass = NodeClass.Edge, NodeState state = NodeState.Ready, long memoryMiB = 1024, int slots = 4,
        Dictionary<string, string>? labels = null, double? energy = null, double? secondsLeft = null, IReadOnlyList<string>? capabilities = null)
    {
        labels ??= [];
        var node = new NodeCandidate(Guid.NewGuid(), name, nodeClass, state, memoryMiB * MiB, 0, 0, labels, capabilities ?? ["wasi_snapshot_preview1", "continuum"])
        {
            Slots = slots,
            EnergyLevel = energy,
            EnergySecondsLeft = secondsLeft,
            Zone = labels.GetValueOrDefault("zone"),
        };
        _nodes.Add(node);
        return node;
    }

    public WorkloadView Workload(string name, NodeCandidate? on = null, long memoryMiB = 64, WorkloadState state = WorkloadState.Running,
        WorkloadPriority priority = WorkloadPriority.Normal, bool pinned = false, bool checkpoint = false, string module = "m1",
        NodeClass? requiredClass = null, Dictionary<string, string>? labels = null, DateTimeOffset? lastMovedAt = null)
    {
        var workload = new WorkloadView(Guid.NewGuid(), name, on?.Id, module, memoryMiB * MiB, new WorkloadConstraints(requiredClass, labels ?? []),
            ["wasi_snapshot_preview1"], priority, pinned, on is null ? WorkloadState.Pending : state, lastMovedAt, checkpoint);
        _workloads.Add(workload);
        if (on is not null)
        {
            var i = _nodes.FindIndex(n => n.Id == on.Id);
            _nodes[i] = _nodes[i].With(workload.MemoryBytes, 1, module);
        }
        return workload;
    }

    public void InFlight(WorkloadView workload, NodeCandidate from, NodeCandidate to) => _inFlight.Add(new MigrationInFlight(workload.Id, from.Id, to.Id, Guid.NewGuid()));

    public ClusterSnapshot Snapshot() => new([.. _nodes], [.. _workloads], [.. _inFlight], Time.GetUtcNow());

    public Plan Evaluate(EvaluationTrigger trigger, Guid? node = null, Guid? workload = null, Guid? target = null, ContinuumControl.Scheduling.Configuration.SchedulerOptions? options = null)
    {
        var scheduler = new Scheduler(ContinuumControl.Scheduling.Configuration.SchedulerConfiguration.Build(options ?? new ContinuumControl.Scheduling.Configuration.SchedulerOptions()), Time);
        var id = new Guid(++_evaluations, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);
        var plan = scheduler.Process(new Evaluation(id, trigger, $"test {trigger}", node, workload, target), Snapshot());
        Submitted.Add(plan);
        return plan;
    }

    /// <summary>Applies a plan to this builder's cluster as if every item had been committed (migrations completed now).</summary>
    public void Apply(Plan plan)
    {
        foreach (var p in plan.Placements)
        {
            Move(p.WorkloadId, p.NodeId, moved: false);
        }
        foreach (var m in plan.Migrations)
        {
            Move(m.WorkloadId, m.ToNodeId, moved: true);
        }
    }

    public string NodeOf(WorkloadView workload) => _nodes.Single(n => n.Id == _workloads.Single(w => w.Id == workload.Id).NodeId).Name;

    public string Name(Guid nodeId) => _nodes.Single(n => n.Id == nodeId).Name;

    private void Move(Guid workloadId, Guid to, bool moved)
    {
        var i = _workloads.FindIndex(w => w.Id == workloadId);
        var w = _workloads[i];
        if (w.NodeId is { } from)
        {
            var f = _nodes.FindIndex(n => n.Id == from);
            _nodes[f] = _nodes[f].With(-w.MemoryBytes, -1, w.ModuleHash);
        }
        var t = _nodes.FindIndex(n => n.Id == to);
        _nodes[t] = _nodes[t].With(w.MemoryBytes, 1, w.ModuleHash);
        _workloads[i] = w with { NodeId = to, State = w.State == WorkloadState.Pending ? WorkloadState.Running : w.State, LastMovedAt = moved ? Time.GetUtcNow() : w.LastMovedAt };
    }
}
