using System.Collections.Concurrent;

namespace ContinuumControl.Server.Agents;

/// <summary>Which hub connection speaks for which node, and how to cut it (a revoked node credential).</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<Guid, string> _byNode = new();
    private readonly ConcurrentDictionary<string, Guid> _byConnection = new();
    private readonly ConcurrentDictionary<string, Action> _aborts = new();

    /// <summary>Nodes connected now.</summary>
    public int Count => _byNode.Count;

    public void Bind(Guid nodeId, string connectionId, Action? abort = null)
    {
        if (_byNode.TryGetValue(nodeId, out var previous))
        {
            _byConnection.TryRemove(previous, out _);
            _aborts.TryRemove(previous, out _);
        }
        _byNode[nodeId] = connectionId;
        _byConnection[connectionId] = nodeId;
        if (abort is not null)
        {
            _aborts[connectionId] = abort;
        }
    }

    public void Unbind(string connectionId)
    {
        _aborts.TryRemove(connectionId, out _);
        if (_byConnection.TryRemove(connectionId, out var nodeId))
        {
            _byNode.TryRemove(new KeyValuePair<Guid, string>(nodeId, connectionId));
        }
    }

    /// <summary>Closes the node's connection from the server side; true when it had one.</summary>
    public bool Disconnect(Guid nodeId)
    {
        if (ConnectionOf(nodeId) is not { } connection)
        {
            return false;
        }
        if (_aborts.TryRemove(connection, out var abort))
        {
            abort();
        }
        Unbind(connection);
        return true;
    }

    public string? ConnectionOf(Guid nodeId) => _byNode.GetValueOrDefault(nodeId);

    public Guid? NodeOf(string connectionId) => _byConnection.TryGetValue(connectionId, out var id) ? id : null;
}
