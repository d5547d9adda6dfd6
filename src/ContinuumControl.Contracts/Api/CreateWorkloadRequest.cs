namespace ContinuumControl.Contracts.Api;

/// <summary>What a client asks to run.</summary>
/// <param name="ModuleHash">SHA-256 of an uploaded module (from POST /api/modules).</param>
/// <param name="Name">Display name; defaults to the module's name.</param>
/// <param name="Args">Arguments after argv[0].</param>
/// <param name="Env">Environment variables.</param>
/// <param name="MemoryLimitMiB">Linear memory limit in MiB; default 64.</param>
/// <param name="Class">Required node class: "Edge" or "Cloud"; absent means any.</param>
/// <param name="Labels">Labels the node must carry.</param>
/// <param name="Priority">"Low", "Normal" (default) or "High": higher classes run first on a node and preempt lower ones.</param>
/// <param name="Restart">When a run that ended without finishing is run again; absent: OnNodeLoss.</param>
/// <param name="CheckpointIntervalSeconds">Periodic checkpoint interval (1..86400), 0 for none; absent: the cluster's (Orchestration:Policies:NodeDown:CheckpointIntervalSeconds).</param>
/// <param name="OutputLimitMiB">Most stdout and stderr (together) the workload may write, in MiB; past it, it fails and what came before stays readable. Default: the server's Server:OutputLimitMiB (64).</param>
/// <param name="CpuTimeLimitSeconds">CPU time the workload may use over its whole life (across moves and restarts from checkpoints), in seconds (0.001..2592000); past it, it fails. Absent: no limit.</param>
/// <param name="Volumes">Node volumes to preopen for it (at most 16, each guest path once); only nodes offering every one take it.</param>
/// <param name="WallClockLimitSeconds">Time from its first start until it must have finished, in seconds (0.001..2592000), whatever it waited for (queues, moves, pauses); past it, it fails. Absent: no limit.</param>
public sealed record CreateWorkloadRequest(
    string ModuleHash,
    string? Name = null,
    IReadOnlyList<string>? Args = null,
    IReadOnlyDictionary<string, string>? Env = null,
    int? MemoryLimitMiB = null,
    string? Class = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? Priority = null,
    RestartPolicyRequest? Restart = null,
    int? CheckpointIntervalSeconds = null,
    int? OutputLimitMiB = null,
    double? CpuTimeLimitSeconds = null,
    double? WallClockLimitSeconds = null,
    IReadOnlyList<VolumeMountDto>? Volumes = null);

/// <summary>A workload's restart policy, as Kubernetes' restartPolicy and Nomad's restart block.</summary>
/// <param name="Policy">"Never", "OnNodeLoss" (default: recovered after its node or agent is lost) or "OnFailure" (also restarted after a trap or non-zero exit).</param>
/// <param name="MaxRestarts">Most restarts after failures (OnFailure), 0..100; default 3.</param>
/// <param name="BackoffSeconds">Wait before the first restart after a failure, doubled for each further one (at most 300 s); 0..3600, default 1.</param>
public sealed record RestartPolicyRequest(string? Policy = null, int? MaxRestarts = null, int? BackoffSeconds = null);
