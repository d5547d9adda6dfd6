using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;

namespace ContinuumControl.Dashboard.Tests.Fakes;

/// <summary>
/// The control plane as a test drives it: a settable snapshot, a change stream fed through one channel per watcher,
/// output kept as whole streams and served by byte offset, and recorded actions.
/// </summary>
public sealed class FakeControlPlaneClient : IControlPlaneClient
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ClusterChange>> _watchers = [];
    private readonly Dictionary<(Guid, string), byte[]> _output = [];

    public DashboardSnapshot Snapshot { get; set; } = new([], [], []);

    /// <summary>What DeployAsync does; by default it throws, so a test must say.</summary>
    public Func<CreateWorkloadRequest, WorkloadDto> Deploy { get; set; } = _ => throw new InvalidOperationException("No deploy behaviour set.");

    /// <summary>What MigrateAsync does with (workload, target); by default it throws, so a test must say.</summary>
    public Func<Guid, Guid, MigrationDto> Migrate { get; set; } = (_, _) => throw new InvalidOperationException("No migrate behaviour set.");

    /// <summary>What CheckMoveAsync answers for (workload, target); by default that the move would be accepted.</summary>
    public Func<Guid, Guid, MoveCheckDto> CheckMove { get; set; } = (workload, target) => new MoveCheckDto(workload, true, target, null, null, []);

    public List<(Guid Workload, Guid Target)> CheckMoveCalls { get; } = [];

    /// <summary>Every migration GetMigrationsAsync knows, in any order; it serves them newest first.</summary>
    public List<MigrationDto> Migrations { get; } = [];

    public List<(Guid WorkloadId, Guid TargetNodeId)> MigrateCalls { get; } = [];

    public Exception? StopError { get; set; }

    public Exception? DeleteError { get; set; }

    public List<CreateWorkloadRequest> Deployed { get; } = [];

    public List<Guid> Stopped { get; } = [];

    public List<Guid> Deleted { get; } = [];

    /// <summary>Every Cordon, Drain and Uncordon asked for, in order.</summary>
    public List<(string Action, Guid NodeId)> NodeActions { get; } = [];

    /// <summary>
    /// What CordonAsync, DrainAsync and UncordonAsync answer with (action, node id); by default the snapshot's node in the
    /// state the action leads to (Cordoned, Draining, Ready).
    /// </summary>
    public Func<string, Guid, NodeDto> NodeAction { get; set; }

    /// <summary>Every PinAsync asked for, in order.</summary>
    public List<(Guid WorkloadId, bool Pinned)> PinCalls { get; } = [];

    /// <summary>What PinAsync answers with; by default the snapshot's workload with Pinned set.</summary>
    public Func<Guid, bool, WorkloadDto> Pin { get; set; }

    /// <summary>The policies GetPoliciesAsync lists; SetPolicyPausedAsync updates them.</summary>
    public List<PolicyDto> Policies { get; } = [];

    public List<(string Name, bool Paused)> PauseCalls { get; } = [];

    /// <summary>What SetPolicyPausedAsync answers with; by default the listed policy with Paused set (and kept in <see cref="Policies"/>).</summary>
    public Func<string, bool, PolicyDto> SetPaused { get; set; }

    public List<string> RunPolicyCalls { get; } = [];

    public Exception? RunPolicyError { get; set; }

    /// <summary>When set, node actions, pins and policy actions wait for it before they answer (to watch an action in flight).</summary>
    public Task? Hold { get; set; }

    /// <summary>The evaluations GetEvaluationsAsync lists, newest first.</summary>
    public List<EvaluationDto> Evaluations { get; } = [];

    public FakeControlPlaneClient()
    {
        NodeAction = (action, nodeId) =>
        {
            var node = Snapshot.Nodes.FirstOrDefault(n => n.Id == nodeId) ?? throw new ControlPlaneException($"There is no node {nodeId}.");
            return node with
            {
                State = action switch
                {
                    "Cordon" => NodeState.Cordoned,
                    "Drain" => NodeState.Draining,
                    _ => NodeState.Ready,
                },
            };
        };
        Pin = (workloadId, pinned) =>
            (Snapshot.Workloads.FirstOrDefault(w => w.Id == workloadId) ?? throw new ControlPlaneException($"There is no workload {workloadId}.")) with { Pinned = pinned };
        SetPaused = (name, paused) =>
        {
            lock (_gate)
            {
                var index = Policies.FindIndex(p => p.Name == name);
                if (index < 0)
                {
                    throw new ControlPlaneException($"There is no policy {name}.");
                }

                Policies[index] = Policies[index] with { Paused = paused };
                return Policies[index];
            }
        };
    }

    public Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken) => RunNodeAction("Cordon", nodeId);

    public Task<NodeDto> DrainAsync(Guid nodeId, CancellationToken cancellationToken) => RunNodeAction("Drain", nodeId);

    public Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken) => RunNodeAction("Uncordon", nodeId);

    public Task<WorkloadDto> PinAsync(Guid workloadId, bool pinned, CancellationToken cancellationToken)
    {
        PinCalls.Add((workloadId, pinned));
        return Answer(() => Pin(workloadId, pinned));
    }

    public Task<IReadOnlyList<PolicyDto>> GetPoliciesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PolicyDto>>([.. Policies]);
        }
    }

    public Task<PolicyDto> SetPolicyPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        PauseCalls.Add((name, paused));
        return Answer(() => SetPaused(name, paused));
    }

    public async Task RunPolicyAsync(string name, CancellationToken cancellationToken)
    {
        RunPolicyCalls.Add(name);
        await Answer(() => RunPolicyError is { } error ? throw error : true);
    }

    public Task<IReadOnlyList<EvaluationDto>> GetEvaluationsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<EvaluationDto>>([.. Evaluations.OrderByDescending(e => e.CreatedAt)]);
        }
    }

    public void Upsert(PolicyDto policy) => Publish(new ClusterChange(ClusterChangeKind.PolicyUpserted, Policy: policy));

    public void Upsert(EvaluationDto evaluation) => Publish(new ClusterChange(ClusterChangeKind.EvaluationUpserted, Evaluation: evaluation));

    private Task<NodeDto> RunNodeAction(string action, Guid nodeId)
    {
        NodeActions.Add((action, nodeId));
        return Answer(() => NodeAction(action, nodeId));
    }

    // A behaviour that throws becomes a faulted task, as a real client's refusal would.
    private async Task<T> Answer<T>(Func<T> behaviour)
    {
        if (Hold is { } hold)
        {
            await hold;
        }

        return behaviour();
    }

    public int SnapshotCalls { get; private set; }

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public Task<DashboardSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        SnapshotCalls++;
        return Task.FromResult(Snapshot);
    }

    /// <summary>The whole workload history QueryWorkloadsAsync and GetWorkloadAsync serve (finished ones too); the snapshot's when empty.</summary>
    public List<WorkloadDto> History { get; } = [];

    /// <summary>Every QueryWorkloadsAsync asked for, in order.</summary>
    public List<(WorkloadFilter Filter, WorkloadSort Sort, bool Descending, int Skip, int Take)> QueryCalls { get; } = [];

    public Task<WorkloadTablePage> QueryWorkloadsAsync(WorkloadFilter filter, WorkloadSort sort, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        IEnumerable<WorkloadDto> rows;
        lock (_gate)
        {
            QueryCalls.Add((filter, sort, descending, skip, take));
            rows = [.. History.Count > 0 ? History : Snapshot.Workloads];
        }
        rows = rows.Where(w =>
            (filter.States is not { Count: > 0 } states || states.Contains(w.State))
            && (filter.NodeId is not { } node || w.NodeId == node)
            && (filter.Name is not { } name || w.Name == name)
            && (filter.Search is not { } search || w.Name.Contains(search, StringComparison.OrdinalIgnoreCase) || w.ModuleHash.StartsWith(search, StringComparison.OrdinalIgnoreCase))
            && (filter.CreatedAfter is not { } after || w.CreatedAt >= after)
            && (filter.CreatedBefore is not { } before || w.CreatedAt < before));
        Func<WorkloadDto, object?> key = sort switch
        {
            WorkloadSort.Name => w => w.Name,
            WorkloadSort.State => w => w.State,
            WorkloadSort.FinishedAt => w => w.FinishedAt,
            _ => w => w.CreatedAt,
        };
        var matching = (descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ToList();
        return Task.FromResult(new WorkloadTablePage([.. matching.Skip(skip).Take(take)], matching.Count));
    }

    public Task<WorkloadDto?> GetWorkloadAsync(Guid workloadId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(History.Concat(Snapshot.Workloads).FirstOrDefault(w => w.Id == workloadId));
        }
    }

    public async IAsyncEnumerable<ClusterChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ClusterChange>();
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Pushes a change to every current watcher.</summary>
    public void Publish(ClusterChange change)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Breaks every current watch, as a lost connection would.</summary>
    public void FailWatchers(Exception error)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete(error);
            }
        }
    }

    public void Upsert(WorkloadDto workload) => Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: workload));

    public void Upsert(NodeDto node) => Publish(new ClusterChange(ClusterChangeKind.NodeUpserted, Node: node));

    public void Upsert(MigrationDto migration) => Publish(new ClusterChange(ClusterChangeKind.MigrationUpserted, Migration: migration));

    /// <summary>Adds <paramref name="text"/> to a stream without announcing it; returns the slice it became.</summary>
    public OutputDto Write(Guid workloadId, string stream, string text, bool finished = false)
    {
        lock (_gate)
        {
            var held = _output.GetValueOrDefault((workloadId, stream), []);
            var added = Encoding.UTF8.GetBytes(text);
            _output[(workloadId, stream)] = [.. held, .. added];
            return new OutputDto(stream, held.Length, held.Length + added.Length, text, finished);
        }
    }

    /// <summary>Adds text to a stream and announces the slice on the change stream.</summary>
    public OutputDto Append(Guid workloadId, string stream, string text, bool finished = false)
    {
        var slice = Write(workloadId, stream, text, finished);
        Publish(new ClusterChange(ClusterChangeKind.OutputAppended, Output: slice, OutputWorkloadId: workloadId));
        return slice;
    }

    public Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var held = _output.GetValueOrDefault((workloadId, stream), []);
            var from = (int)Math.Min(offset, held.Length);
            var text = Encoding.UTF8.GetString(held, from, held.Length - from);
            return Task.FromResult(new OutputDto(stream, from, held.Length, text, false));
        }
    }

    public Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken)
    {
        Deployed.Add(request);
        return Task.FromResult(Deploy(request));
    }

    public Task StopAsync(Guid workloadId, CancellationToken cancellationToken)
    {
        Stopped.Add(workloadId);
        return StopError is { } error ? Task.FromException(error) : Task.CompletedTask;
    }

    public Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken)
    {
        Deleted.Add(workloadId);
        return DeleteError is { } error ? Task.FromException(error) : Task.CompletedTask;
    }

    public Task<MigrationDto> MigrateAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken)
    {
        MigrateCalls.Add((workloadId, targetNodeId));
        try
        {
            return Task.FromResult(Migrate(workloadId, targetNodeId));
        }
        catch (Exception ex)
        {
            return Task.FromException<MigrationDto>(ex);
        }
    }

    public Task<MoveCheckDto> CheckMoveAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken)
    {
        CheckMoveCalls.Add((workloadId, targetNodeId));
        return Answer(() => CheckMove(workloadId, targetNodeId));
    }

    public Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<MigrationDto> listed = [.. Migrations.Where(m => workloadId is not { } id || m.WorkloadId == id).OrderByDescending(m => m.RequestedAt)];
            return Task.FromResult(listed);
        }
    }
}
