namespace ContinuumControl.Contracts.Api;

/// <summary>
/// A directory a workload sees through WASI: the node's volume <paramref name="Volume"/> (a name each agent maps to a
/// host directory, configuration key Agent:Volumes:&lt;name&gt;) preopened at <paramref name="GuestPath"/>. Only nodes
/// that offer the volume take the workload; a move keeps what the workload wrote only when the volume is shared
/// storage on both nodes.
/// </summary>
/// <param name="Volume">Volume name: 1-63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.</param>
/// <param name="GuestPath">Absolute path inside the workload, such as "/data"; no "." or ".." segments.</param>
public sealed record VolumeMountDto(string Volume, string GuestPath);
