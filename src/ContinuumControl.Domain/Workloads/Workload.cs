using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Domain.Workloads;

/// <summary>A Wasm module with its arguments, resources and constraints, and where it runs now.</summary>
public sealed class Workload
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string ModuleHash { get; set; }
    public List<string> Args { get; set; } = new();
    public Dictionary<string, string> Env { get; set; } = new();
    public long MemoryLimitBytes { get; set; }
    public NodeClass? RequiredClass { get; set; }
    public Dictionary<string, string> RequiredLabels { get; set; } = new();
    public WorkloadPriority Priority { get; set; } = WorkloadPriority.Normal;

    /// <summary>Bytes of stdout and stderr together it may write over its life (null: none; workloads from before limits existed).</summary>
    public long? OutputLimitBytes { get; set; }

    /// <summary>Pinned workloads stay on their node: no policy moves them (an operator still can).</summary>
    public bool Pinned { get; set; }

    /// <summary>The last periodic checkpoint's manifest (JSON, format v1), whose chunks are in the control plane's chunk store.</summary>
    public string? CheckpointManifestJson { get; set; }

    /// <summary>When <see cref="CheckpointManifestJson"/> was captured.</summary>
    public DateTimeOffset? CheckpointedAt { get; set; }

    public WorkloadState State { get; set; }
    public Guid? NodeId { get; set; }

    /// <summary>Placement generation: bumped on every placement so that agents can refuse stale commands.</summary>
    public long Generation { get; set; }

    public int? ExitCode { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public bool IsFinished => State is WorkloadState.Completed or WorkloadState.Failed or WorkloadState.Stopped;

    /// <summary>Holds a slot or a place in a node's queue: placed and not finished.</summary>
    public bool IsActive => !IsFinished && NodeId is not null;

    public WorkloadConstraints Constraints => new(RequiredClass, RequiredLabels);

    /// <summary>Binds the workload to a node under a new generation.</summary>
    public void Place(Guid nodeId)
    {
        NodeId = nodeId;
        Generation++;
        State = WorkloadState.Pending;
    }

    /// <summary>Applies a status an agent reported for <paramref name="generation"/>; stale or post-finish reports are ignored.</summary>
    /// <returns>Whether the report changed the workload.</returns>
    public bool ApplyReport(long generation, WorkloadState reported, int? exitCode, string? reason, DateTimeOffset now)
    {
        if (generation != Generation || IsFinished || reported == State)
        {
            return false;
        }
        State = reported;
        if (reported == WorkloadState.Running)
        {
            StartedAt ??= now;
            return true;
        }
        if (IsFinished)
        {
            ExitCode = exitCode;
            FailureReason = reason;
            FinishedAt = now;
        }
        return true;
    }

    /// <summary>Ends the workload on the operator's request.</summary>
    public void Stop(DateTimeOffset now)
    {
        if (IsFinished)
        {
            return;
        }
        State = WorkloadState.Stopped;
        FailureReason = "stopped on request";
        FinishedAt = now;
    }
}
