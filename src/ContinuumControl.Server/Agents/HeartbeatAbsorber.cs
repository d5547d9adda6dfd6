using System.Collections.Concurrent;
using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Server.Agents;

/// <summary>
/// Keeps each known node's latest heartbeat in memory. The database sees them in batches
/// (<see cref="HeartbeatFlushService"/>): one write per heartbeat does not scale past a few hundred agents.
/// </summary>
public sealed class HeartbeatAbsorber(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, NodeLiveness> _nodes = new();

    /// <summary>Starts tracking a node as alive now (registration, or server start for nodes already in the database).</summary>
    public void Track(Guid nodeId) => _nodes[nodeId] = new NodeLiveness(time.GetUtcNow(), null);

    /// <summary>Tracks a node as if heard of <paramref name="extra"/> from now: after a control-plane start its agent needs time to reconnect.</summary>
    public void TrackWithGrace(Guid nodeId, TimeSpan extra) => _nodes.TryAdd(nodeId, new NodeLiveness(time.GetUtcNow() + extra, null));

    public void Forget(Guid nodeId) => _nodes.TryRemove(nodeId, out _);

    /// <summary>Records a heartbeat; false when the node is unknown and must register again.</summary>
    public bool Record(Heartbeat heartbeat)
    {
        var now = time.GetUtcNow();
        while (_nodes.TryGetValue(heartbeat.NodeId, out var current))
        {
            if (_nodes.TryUpdate(heartbeat.NodeId, new NodeLiveness(now, heartbeat), current))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Takes the heartbeats received since the last call.</summary>
    public List<(Guid NodeId, NodeLiveness Liveness)> TakePending()
    {
        var taken = new List<(Guid, NodeLiveness)>();
        foreach (var (id, liveness) in _nodes)
        {
            if (liveness.Pending is not null && _nodes.TryUpdate(id, liveness with { Pending = null }, liveness))
            {
                taken.Add((id, liveness));
            }
        }
        return taken;
    }

    /// <summary>Nodes last heard of before <paramref name="deadline"/>.</summary>
    public List<Guid> SilentSince(DateTimeOffset deadline) =>
        _nodes.Where(kv => kv.Value.LastSeen < deadline).Select(kv => kv.Key).ToList();

    public DateTimeOffset? LastSeen(Guid nodeId) => _nodes.TryGetValue(nodeId, out var l) ? l.LastSeen : null;
}

/// <summary>When a node was last heard of, and its heartbeat not yet written to the database.</summary>
public sealed record NodeLiveness(DateTimeOffset LastSeen, Heartbeat? Pending);
