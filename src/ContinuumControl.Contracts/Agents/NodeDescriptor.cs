namespace ContinuumControl.Contracts.Agents;

/// <summary>What an agent tells the control plane about its node when it registers.</summary>
/// <param name="Name">Unique node name; re-registering under the same name keeps the node's id.</param>
/// <param name="Class">"Edge" or "Cloud".</param>
/// <param name="Architecture">CPU architecture, e.g. "x64" or "arm64".</param>
/// <param name="Cores">Logical cores offered.</param>
/// <param name="MemoryBytes">Memory offered to workloads.</param>
/// <param name="Labels">Free-form labels constraints can match.</param>
/// <param name="Capabilities">Host capabilities offered to workloads (import modules such as "wasi_snapshot_preview1").</param>
/// <param name="AgentVersion">Agent build version.</param>
public sealed record NodeDescriptor(
    string Name,
    string Class,
    string Architecture,
    int Cores,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Capabilities,
    string AgentVersion);
