using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling;

namespace ContinuumControl.Bench.Scheduling;

/// <summary>
/// An in-memory cluster the benchmark places into: nodes of both classes in 50 zones, some harvesting energy, with
/// allocations that accumulate as plans are committed, as the control plane's database would.
/// </summary>
public sealed class SimulatedCluster
{
    private const long MiB = 1024 * 1024;
    private static readonly string[] Capabilities = ["wasi_snapshot_preview1", "continuum"];
    private readonly Dictionary<Guid, int> _index = [];
    private readonly List<WorkloadView> _workloads = [];

    public SimulatedCluster(int nodes, int seed)
    {
        var random = new Random(seed);
        Nodes = new NodeCandidate[nodes];
        for (var i = 0; i < nodes; i++)
        {
            var cloud = i % 10 == 0;
            var zone = $"zone-{i % 50}";
            Nodes[i] = new NodeCandidate(Guid.NewGuid(), $"node-{i:00000}", cloud ? NodeClass.Cloud : NodeClass.Edge, NodeState.Ready,
                (cloud ? 65536 : 4096) * MiB, 0, 0, new Dictionary<string, string> { ["zone"] = zone, ["rack"] = $"r{i % 7}" }, Capabilities)
            {
                Slots = cloud ? 64 : 16,
                Zone = zone,
                EnergyLevel = !cloud && i % 5 == 0 ? 0.3 + (random.NextDouble() * 0.7) : null,
            };
            _index[Nodes[i].Id] = i;
        }
    }

    public NodeCandidate[] Nodes { get; }

    public IReadOnlyList<WorkloadView> Workloads => _workloads;

    public static WorkloadView NewWorkload(int i) => new(Guid.NewGuid(), $"w{i}", null, $"module-{i % 200}", (16 + (i % 4 * 16)) * MiB,
        new WorkloadConstraints(i % 20 == 0 ? NodeClass.Cloud : null, i % 7 == 0 ? new Dictionary<string, string> { ["rack"] = $"r{i % 7}" } : new Dictionary<string, string>()),
        Capabilities, WorkloadPriority.Normal, false, WorkloadState.Pending, null, false);

    public ClusterSnapshot SnapshotFor(WorkloadView workload, DateTimeOffset now) => new(Nodes, [workload], [], now);

    public ClusterSnapshot Snapshot(DateTimeOffset now) => new(Nodes, _workloads, [], now);

    public void Commit(WorkloadView workload, Guid nodeId)
    {
        var i = _index[nodeId];
        Nodes[i] = Nodes[i].With(workload.MemoryBytes, 1, workload.ModuleHash);
        _workloads.Add(workload with { NodeId = nodeId, State = WorkloadState.Running });
    }
}
