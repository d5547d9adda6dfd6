using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>The pool as one page sees it: a snapshot with every later change applied. Not thread-safe: used on the renderer's context.</summary>
public sealed class ClusterState
{
    private readonly Dictionary<Guid, NodeDto> _nodes = [];
    private readonly Dictionary<Guid, WorkloadDto> _workloads = [];

    /// <summary>Finished workloads kept for the unplaced list and an open panel; older ones are on the Workloads page.</summary>
    public const int MaxFinished = 50;

    public IReadOnlyList<ModuleDto> Modules { get; private set; } = [];

    public IEnumerable<NodeDto> Nodes => _nodes.Values;

    /// <summary>Recent migrations (from the snapshot) and every one upserted since.</summary>
    public MigrationHistory Migrations { get; } = new();

    public IEnumerable<WorkloadDto> Workloads => _workloads.Values;

    /// <summary>Replaces everything with <paramref name="snapshot"/>.</summary>
    public void Load(DashboardSnapshot snapshot)
    {
        _nodes.Clear();
        _workloads.Clear();
        foreach (var node in snapshot.Nodes)
        {
            _nodes[node.Id] = node;
        }

        foreach (var workload in snapshot.Workloads)
        {
            _workloads[workload.Id] = workload;
        }

        Modules = snapshot.Modules;
        Migrations.Load(snapshot.Migrations);
    }

    /// <summary>Applies one change; false when it does not concern this state (output).</summary>
    public bool Apply(ClusterChange change)
    {
        switch (change.Kind)
        {
            case ClusterChangeKind.NodeUpserted when change.Node is { } node:
                _nodes[node.Id] = node;
                return true;
            case ClusterChangeKind.WorkloadUpserted when change.Workload is { } workload:
                _workloads[workload.Id] = workload;
                if (workload.State.IsFinished)
                {
                    TrimFinished();
                }
                return true;
            case ClusterChangeKind.WorkloadRemoved when change.RemovedId is { } id:
                return _workloads.Remove(id);
            case ClusterChangeKind.ModuleAdded when change.Module is { } module:
                Modules = [.. Modules.Where(m => m.Hash != module.Hash), module];
                return true;
            case ClusterChangeKind.MigrationUpserted when change.Migration is { } migration:
                return Migrations.Upsert(migration);
            default:
                return false;
        }
    }

    public WorkloadDto? FindWorkload(Guid id) => _workloads.GetValueOrDefault(id);

    public NodeDto? FindNode(Guid id) => _nodes.GetValueOrDefault(id);

    public IEnumerable<NodeDto> NodesOfClass(NodeClass nodeClass) =>
        _nodes.Values
            .Where(n => n.Class == nodeClass)
            .OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Unfinished workloads placed on <paramref name="nodeId"/> (running, pending, queued, suspended), newest first.</summary>
    public IEnumerable<WorkloadDto> WorkloadsOn(Guid nodeId) =>
        _workloads.Values.Where(w => w.NodeId == nodeId && !w.State.IsFinished).OrderByDescending(w => w.CreatedAt);

    // A long-open page sees every workload finish: keep only the newest finished ones so memory stays bounded.
    private void TrimFinished()
    {
        var finished = _workloads.Values.Where(w => w.State.IsFinished).ToList();
        if (finished.Count <= MaxFinished)
        {
            return;
        }
        foreach (var old in finished.OrderByDescending(w => w.CreatedAt).Skip(MaxFinished))
        {
            _workloads.Remove(old.Id);
        }
    }

    /// <summary>Workloads without a node (refused, or finished without one) or on a node this state does not know.</summary>
    public IEnumerable<WorkloadDto> Unplaced =>
        _workloads.Values
            .Where(w => w.NodeId is not { } id || !_nodes.ContainsKey(id))
            .OrderByDescending(w => w.CreatedAt);
}
