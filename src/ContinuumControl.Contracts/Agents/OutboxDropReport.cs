namespace ContinuumControl.Contracts.Agents;

/// <summary>
/// Messages an agent's outbox dropped during a long partition (memory and spill file full), by kind, so the control
/// plane can say what it never heard about. Only messages a later one supersedes are ever dropped.
/// </summary>
public sealed record OutboxDropReport(IReadOnlyDictionary<string, int> DroppedByKind, DateTimeOffset FirstDropAt, DateTimeOffset LastDropAt);
