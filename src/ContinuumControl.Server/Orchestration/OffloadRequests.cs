using System.Collections.Concurrent;
using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// Offload requests from local schedulers, waiting for the Offload policy. Kept per workload: an agent that asks
/// again replaces its earlier request instead of queueing a second move.
/// </summary>
public sealed class OffloadRequests(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, PendingOffload> _pending = new();

    /// <summary>Raised when a request arrives, so the policy can run at once instead of at its next tick.</summary>
    public event Action? Arrived;

    public void Add(Guid nodeId, OffloadRequest request)
    {
        _pending[request.WorkloadId] = new PendingOffload(nodeId, request, time.GetUtcNow());
        Arrived?.Invoke();
    }

    /// <summary>Takes every pending request; the policy puts back the ones it could not serve yet.</summary>
    public List<PendingOffload> TakeAll()
    {
        var taken = new List<PendingOffload>();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var offload))
            {
                taken.Add(offload);
            }
        }
        return taken;
    }

    public void PutBack(PendingOffload offload) => _pending.TryAdd(offload.Request.WorkloadId, offload);

    public int Count => _pending.Count;
}

/// <summary>An offload request and where and when it came from.</summary>
public sealed record PendingOffload(Guid NodeId, OffloadRequest Request, DateTimeOffset At);
