using System.Collections.Immutable;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Tests.Fakes;

/// <summary>DTOs with sensible defaults; tests state only what they are about.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static NodeDto Node(string name, NodeClass nodeClass = NodeClass.Edge, NodeState state = NodeState.Ready, double cpu = 12.5) => new(
        Guid.NewGuid(), name, nodeClass, state, "x86_64", 4,
        MemoryBytes: 8L << 30, MemoryAllocatedBytes: 1L << 30, CpuPercent: cpu, MemoryUsedBytes: 2L << 30,
        ImmutableDictionary<string, string>.Empty, [], Now.AddSeconds(-3), Workloads: 0);

    public static WorkloadDto Workload(string name, NodeDto? node = null, WorkloadState state = WorkloadState.Running, string? failureReason = null, int? exitCode = null) => new(
        Guid.NewGuid(), name, ModuleHash: new string('a', 64), Args: ["--n", "10"],
        Env: ImmutableDictionary<string, string>.Empty.Add("MODE", "fast"), MemoryLimitBytes: 64L << 20,
        RequiredClass: null, RequiredLabels: ImmutableDictionary<string, string>.Empty,
        state, node?.Id, node?.Name, Generation: 1, exitCode, failureReason, Now.AddMinutes(-1), Now.AddSeconds(-50), null);

    public static ModuleDto Module(string name = "primes.wasm") => new(new string('b', 64), name, 12_345, ["wasi_snapshot_preview1"], Now.AddHours(-1));

    /// <summary>A migration of <paramref name="workload"/> from its node to <paramref name="target"/>, in <paramref name="phase"/>.</summary>
    public static MigrationDto Migration(
        WorkloadDto workload, NodeDto target, MigrationPhase phase = MigrationPhase.Requested, double? downtimeMs = null, double? totalMs = null,
        long bytesMoved = 0, string? reason = null, DateTimeOffset? requestedAt = null)
    {
        var at = requestedAt ?? Now;
        MigrationPhase[] path = [MigrationPhase.Requested, MigrationPhase.Preparing, MigrationPhase.Checkpointing, MigrationPhase.Transferring, MigrationPhase.Restoring, MigrationPhase.Completed];
        var reached = Array.IndexOf(path, phase) is var i and >= 0 ? path[..(i + 1)] : [.. path[..4], phase];
        var finished = phase is MigrationPhase.Completed or MigrationPhase.Aborted or MigrationPhase.Failed;
        return new MigrationDto(
            Guid.NewGuid(), workload.Id, workload.Name, workload.NodeId ?? Guid.Empty, workload.NodeName ?? "", target.Id, target.Name,
            phase, MigrationTrigger.Operator, PreCopy: true, reason, at, [.. reached.Select((p, n) => new MigrationPhaseTime(p, at.AddMilliseconds(100 * n)))],
            finished ? at.AddSeconds(1) : null, downtimeMs, totalMs, bytesMoved);
    }

    public static PolicyDto Policy(string name = "Rebalance", bool enabled = true, bool paused = false, string? lastResult = null) => new(
        name, $"{name} policy", enabled, paused, "*/5 * * * *", lastResult is null ? null : Now.AddMinutes(-2), lastResult,
        ImmutableDictionary<string, string>.Empty.Add("MaxConcurrentMigrations", "2"));

    /// <summary>An evaluation created at <paramref name="createdAt"/> (default: now), with <paramref name="plan"/> if planned.</summary>
    public static EvaluationDto Evaluation(
        EvaluationTrigger trigger = EvaluationTrigger.Rebalance, EvaluationStatus status = EvaluationStatus.Applied, PlanDto? plan = null, Guid? nodeId = null, Guid? workloadId = null,
        DateTimeOffset? createdAt = null, string reason = "Load spread 0.42 exceeds 0.25") => new(
        Guid.NewGuid(), trigger, status, reason, nodeId, workloadId, createdAt ?? Now, status == EvaluationStatus.Pending ? null : (createdAt ?? Now).AddMilliseconds(20), plan);
}
