namespace ContinuumControl.Runtime.Execution;

/// <summary>What to run: module bytes (as uploaded or already instrumented), WASI arguments and environment, limits and preopened directories.</summary>
/// <param name="CpuTimeLimit">CPU time the workload may use in total (across moves); null for no limit.</param>
/// <param name="WallClockLimit">Time this run may take from its start, paused time included; null for no limit.</param>
/// <param name="OutputLimitBytes">Bytes of stdout and stderr together the workload may write in total (across moves); null for no limit.</param>
public sealed record WorkloadSpec(
    string Name,
    byte[] ModuleBytes,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes,
    IReadOnlyList<PreopenedDirectory>? Preopens = null,
    TimeSpan? CpuTimeLimit = null,
    long? OutputLimitBytes = null,
    TimeSpan? WallClockLimit = null);
