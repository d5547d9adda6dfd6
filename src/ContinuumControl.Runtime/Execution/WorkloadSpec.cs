namespace ContinuumControl.Runtime.Execution;

/// <summary>What to run: module bytes, WASI arguments and environment, and the memory limit.</summary>
public sealed record WorkloadSpec(string Name, byte[] ModuleBytes, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env, long MemoryLimitBytes);
