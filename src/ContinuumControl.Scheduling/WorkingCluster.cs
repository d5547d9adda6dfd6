namespace ContinuumControl.Scheduling;

/// <summary>
/// The scheduler's scratch copy of a snapshot: node allocations change as a plan grows, so later items of the same
/// plan see the capacity earlier ones took. Indexes are built once per evaluation.
/// </summary>
internal sealed class WorkingCluster
{
    private Dictionary<Guid, int>? _index;
    private int _scans;
    private readonly Dictionary<Guid, WorkloadView> _workloads;
    private Dictionary<Guid, List<WorkloadView>>? _byNode;
    private readonly Dictionary<Guid, int> _movesTouching = [];
    private readonly HashSet<Guid> _busy;
    private readonly Dictionary<Guid, MigrationInFlight> _inFlight;

    public WorkingCluster(ClusterSnapshot snapshot)
    {
        Snapshot = snapshot;
        Nodes = [.. snapshot.Nodes];
        _workloads = new Dictionary<Guid, WorkloadView>(snapshot.Workloads.Count);
        foreach (var w in snapshot.Workloads)
        {
            _workloads[w.Id] = w;
        }
        _busy = snapshot.InFlight.Select(m => m.WorkloadId).ToHashSet();
        _inFlight = snapshot.InFlight.DistinctBy(m => m.WorkloadId).ToDictionary(m => m.WorkloadId);
        foreach (var m in snapshot.InFlight)
        {
            CountMove(m.FromNodeId, m.ToNodeId);
            // A migration's target will hold the workload once it commits: reserve its room now, so two plans cannot
            // both count on the same free memory while the first migration is still under way.
            if (_workloads.GetValueOrDefault(m.WorkloadId) is { } moving && IndexOf(m.ToNodeId) is var t and >= 0)
            {
                Nodes[t] = Nodes[t].With(moving.MemoryBytes, 1, moving.ModuleHash);
            }
        }
    }

    public ClusterSnapshot Snapshot { get; }

    public NodeCandidate[] Nodes { get; }

    /// <summary>Migrations in flight plus those planned so far.</summary>
    public int Moves { get; private set; }

    public int MovesTouching(Guid nodeId) => _movesTouching.GetValueOrDefault(nodeId);

    public NodeCandidate? Node(Guid? id) => id is { } key && IndexOf(key) is var i and >= 0 ? Nodes[i] : null;

    /// <summary>
    /// Position of a node: a linear scan for the first few look-ups (a placement needs one or two, and building a
    /// 10,000-entry dictionary per evaluation would cost more than the placement), an index after that.
    /// </summary>
    private int IndexOf(Guid id)
    {
        if (_index is null && ++_scans <= 8)
        {
            for (var i = 0; i < Nodes.Length; i++)
            {
                if (Nodes[i].Id == id)
                {
                    return i;
                }
            }
            return -1;
        }
        if (_index is null)
        {
            _index = new Dictionary<Guid, int>(Nodes.Length);
            for (var i = 0; i < Nodes.Length; i++)
            {
                _index[Nodes[i].Id] = i;
            }
        }
        return _index.TryGetValue(id, out var found) ? found : -1;
    }

    public WorkloadView? Workload(Guid? id) => id is { } key ? _workloads.GetValueOrDefault(key) : null;

    /// <summary>Migrating already, or given a place in this plan: not planned twice.</summary>
    public bool IsBusy(Guid workloadId) => _busy.Contains(workloadId);

    /// <summary>The migration under way for the workload, if any.</summary>
    public MigrationInFlight? InFlight(Guid workloadId) => _inFlight.GetValueOrDefault(workloadId);

    /// <summary>Workloads placed on <paramref name="nodeId"/> when the snapshot was taken.</summary>
    public IReadOnlyList<WorkloadView> On(Guid nodeId)
    {
        _byNode ??= Snapshot.Workloads.Where(w => w.NodeId is not null).GroupBy(w => w.NodeId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        return _byNode.GetValueOrDefault(nodeId) ?? [];
    }

    /// <summary>Moves the workload's promise from <paramref name="from"/> (if any) to <paramref name="to"/>.</summary>
    public void Assign(WorkloadView workload, Guid? from, Guid to, bool isMigration)
    {
        if (from is { } source && IndexOf(source) is var s and >= 0)
        {
            Nodes[s] = Nodes[s].With(-workload.MemoryBytes, -1, workload.ModuleHash);
        }
        var t = IndexOf(to);
        Nodes[t] = Nodes[t].With(workload.MemoryBytes, 1, workload.ModuleHash);
        _busy.Add(workload.Id);
        if (isMigration && from is { } f)
        {
            CountMove(f, to);
        }
    }

    private void CountMove(Guid from, Guid to)
    {
        Moves++;
        _movesTouching[from] = _movesTouching.GetValueOrDefault(from) + 1;
        _movesTouching[to] = _movesTouching.GetValueOrDefault(to) + 1;
    }
}
