namespace ContinuumControl.Contracts.Agents;

/// <summary>Tells an agent to run a workload under a placement generation.</summary>
public sealed record StartWorkloadCommand(
    Guid WorkloadId,
    long Generation,
    string ModuleHash,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes);

/// <summary>Tells an agent to stop a workload; ignored unless the generation matches what it runs.</summary>
public sealed record StopWorkloadCommand(Guid WorkloadId, long Generation, string Reason);
