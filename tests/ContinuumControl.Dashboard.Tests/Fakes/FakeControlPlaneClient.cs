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

    public ClusterSnapshot Snapshot { get; set; } = new([], [], []);

    /// <summary>What DeployAsync does; by default it throws, so a test must say.</summary>
    public Func<CreateWorkloadRequest, WorkloadDto> Deploy { get; set; } = _ => throw new InvalidOperationException("No deploy behaviour set.");

    /// <summary>What MigrateAsync does with (workload, target); by default it throws, so a test must say.</summary>
    public Func<Guid, Guid, MigrationDto> Migrate { get; set; } = (_, _) => throw new InvalidOperationException("No migrate behaviour set.");

    /// <summary>Every migration GetMigrationsAsync knows, in any order; it serves them newest first.</summary>
    public List<MigrationDto> Migrations { get; } = [];

    public List<(Guid WorkloadId, Guid TargetNodeId)> MigrateCalls { get; } = [];

    public Exception? StopError { get; set; }

    public Exception? DeleteError { get; set; }

    public List<CreateWorkloadRequest> Deployed { get; } = [];

    public List<Guid> Stopped { get; } = [];

    public List<Guid> Deleted { get; } = [];

    // TODO(orchestration): the dashboard work fills these in.
    public Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<NodeDto> DrainAsync(Guid nodeId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<WorkloadDto> PinAsync(Guid workloadId, bool pinned, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<PolicyDto>> GetPoliciesAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<PolicyDto> SetPolicyPausedAsync(string name, bool paused, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RunPolicyAsync(string name, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<EvaluationDto>> GetEvaluationsAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

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

    public Task<ClusterSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        SnapshotCalls++;
        return Task.FromResult(Snapshot);
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

    public Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<MigrationDto> listed = [.. Migrations.Where(m => workloadId is not { } id || m.WorkloadId == id).OrderByDescending(m => m.RequestedAt)];
            return Task.FromResult(listed);
        }
    }
}
