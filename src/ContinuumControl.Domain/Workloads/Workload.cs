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

    /// <summary>CPU seconds it may use over its life, across moves (null: no limit).</summary>
    public double? CpuTimeLimitSeconds { get; set; }

    /// <summary>Seconds from its first start until it must have finished (null: no limit).</summary>
    public double? WallClockLimitSeconds { get; set; }

    /// <summary>Node volumes preopened for it: guest path -> volume name (see <see cref="Nodes.NodeVolumes"/>).</summary>
    public Dictionary<string, string> Volumes { get; set; } = new();

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

    /// <summary>What happens when a run ends without finishing; see <see cref="Workloads.RestartPolicy"/>.</summary>
    public RestartPolicy RestartPolicy { get; set; } = RestartPolicy.OnNodeLoss;

    /// <summary>Most restarts after failures (<see cref="RestartPolicy.OnFailure"/>); recoveries from node loss do not count.</summary>
    public int MaxRestarts { get; set; } = DefaultMaxRestarts;

    /// <summary>Wait before the first restart after a failure; doubled for each further one, at most <see cref="MaxBackoff"/>.</summary>
    public int RestartBackoffSeconds { get; set; } = DefaultBackoffSeconds;

    /// <summary>Restarts after failures so far.</summary>
    public int FailureRestarts { get; set; }

    /// <summary>A restart after a failure waits until then (the workload is Pending and unplaced meanwhile).</summary>
    public DateTimeOffset? RestartAt { get; set; }

    /// <summary>Periodic checkpoint interval for this workload; null takes the cluster's, 0 turns them off.</summary>
    public int? CheckpointIntervalSeconds { get; set; }

    /// <summary>Every run so far, oldest first; the last one is the current run while it has no end.</summary>
    public List<WorkloadAttempt> Attempts { get; set; } = new();

    public int? ExitCode { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public bool IsFinished => State.IsFinished;

    /// <summary>Holds a slot or a place in a node's queue: placed and not finished.</summary>
    public bool IsActive => !IsFinished && NodeId is not null;

    public WorkloadConstraints Constraints => new(RequiredClass, RequiredLabels);

    public const int DefaultMaxRestarts = 3;
    public const int DefaultBackoffSeconds = 1;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>Placed, not yet started, and not waiting for a restart: the scheduler should place it now.</summary>
    public bool AwaitsPlacement(DateTimeOffset now) => State == WorkloadState.Pending && NodeId is null && (RestartAt is null || RestartAt <= now);

    /// <summary>Binds the workload to a node under a new generation.</summary>
    public void Place(Guid nodeId)
    {
        NodeId = nodeId;
        Generation++;
        State = WorkloadState.Pending;
    }

    /// <summary>Binds the workload to a node under a new generation as a new run (attempt); an open run is closed with <paramref name="previousEnded"/>.</summary>
    public void Place(Guid nodeId, DateTimeOffset now, bool fromCheckpoint, string? previousEnded = null)
    {
        EndAttempt(previousEnded ?? "placed again", now);
        Place(nodeId);
        RestartAt = null;
        Attempts = [.. Attempts, new WorkloadAttempt(Attempts.Count + 1, nodeId, now, FromCheckpoint: fromCheckpoint)];
    }

    /// <summary>Closes the current run with why it ended (no-op when none is open).</summary>
    public void EndAttempt(string reason, DateTimeOffset now)
    {
        if (Attempts.Count > 0 && Attempts[^1].EndedAt is null)
        {
            // Replaced, not mutated: the list is stored as one JSON value and compared by content.
            Attempts = [.. Attempts.Take(Attempts.Count - 1), Attempts[^1] with { EndedAt = now, EndReason = reason }];
        }
    }

    /// <summary>
    /// The current run was lost with its node or agent (crash, restart, reboot). Unless the policy is Never, the
    /// workload is unbound and waits for the scheduler to place it again, from its last checkpoint if it has one.
    /// </summary>
    /// <returns>Whether it will be recovered (false: it is Failed now).</returns>
    public bool LoseRun(string reason, DateTimeOffset now)
    {
        if (IsFinished)
        {
            return false;
        }
        EndAttempt(reason, now);
        if (RestartPolicy == RestartPolicy.Never)
        {
            State = WorkloadState.Failed;
            FailureReason = $"{reason}; restart policy Never, so it is not run again";
            FinishedAt = now;
            return false;
        }
        NodeId = null;
        State = WorkloadState.Pending;
        RestartAt = null;
        return true;
    }

    /// <summary>The backoff before restart number <paramref name="restart"/> (1-based) after a failure.</summary>
    public TimeSpan Backoff(int restart)
    {
        var seconds = RestartBackoffSeconds * Math.Pow(2, Math.Max(0, restart - 1));
        return seconds >= MaxBackoff.TotalSeconds ? MaxBackoff : TimeSpan.FromSeconds(seconds);
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
        if (reported == WorkloadState.Failed && RestartPolicy == RestartPolicy.OnFailure && FailureRestarts < MaxRestarts)
        {
            // Starts over from the beginning after the backoff: a checkpoint of the failed run would only fail again.
            FailureRestarts++;
            EndAttempt($"failed: {reason ?? "no reason given"}{(exitCode is { } c ? $" (exit code {c})" : "")}; restart {FailureRestarts} of {MaxRestarts} after {Backoff(FailureRestarts).TotalSeconds:0.###} s", now);
            State = WorkloadState.Pending;
            NodeId = null;
            RestartAt = now + Backoff(FailureRestarts);
            CheckpointManifestJson = null;
            CheckpointedAt = null;
            return true;
        }
        if (IsFinished)
        {
            ExitCode = exitCode;
            FailureReason = reported == WorkloadState.Failed && RestartPolicy == RestartPolicy.OnFailure
                ? $"{reason} (after {FailureRestarts} restarts, the limit)"
                : reason;
            FinishedAt = now;
            EndAttempt(reported switch
            {
                WorkloadState.Completed => $"completed{(exitCode is { } code ? $" (exit code {code})" : "")}",
                WorkloadState.Stopped => reason ?? "stopped",
                _ => $"failed: {reason ?? "no reason given"}",
            }, now);
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
        RestartAt = null;
        EndAttempt("stopped on request", now);
    }
}
