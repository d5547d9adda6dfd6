using System.Collections.Concurrent;

namespace ContinuumControl.Server.Agents;

/// <summary>Which hub connection speaks for which node.</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<Guid, string> _byNode = new();
    private readonly ConcurrentDictionary<string, Guid> _byConnection = new();

    public void Bind(Guid nodeId, string connectionId)
    {
        if (_byNode.TryGetValue(nodeId, out var previous))
        {
            _byConnection.TryRemove(previous, out _);
        }
        _byNode[nodeId] = connectionId;
        _byConnection[connectionId] = nodeId;
    }

    public void Unbind(string connectionId)
    {
        if (_byConnection.TryRemove(connectionId, out var nodeId))
        {
            _byNode.TryRemove(new KeyValuePair<Guid, string>(nodeId, connectionId));
        }
    }

    public string? ConnectionOf(Guid nodeId) => _byNode.GetValueOrDefault(nodeId);

    public Guid? NodeOf(string connectionId) => _byConnection.TryGetValue(connectionId, out var id) ? id : null;
}
