namespace ContinuumControl.Contracts.Agents;

/// <summary>The server's answer to a registration.</summary>
/// <param name="NodeId">The node's id, stable across re-registrations under the same name.</param>
/// <param name="HeartbeatTtlMs">Time-to-live of one heartbeat; agents heartbeat every half of it.</param>
/// <param name="Discard">Workloads the agent reported that it must stop: unknown, finished or placed elsewhere.</param>
/// <param name="Resume">Paused workloads whose migration is over without a move: continue them.</param>
/// <param name="NodeCredential">
/// Set only at a node's first registration (made with the join token): the node's own credential, shown this once.
/// The agent keeps it (data directory, file mode 0600) and connects and fetches with it from then on.
/// </param>
public sealed record RegisterResult(Guid NodeId, int HeartbeatTtlMs, IReadOnlyList<Guid> Discard, IReadOnlyList<Guid>? Resume = null, string? NodeCredential = null);
