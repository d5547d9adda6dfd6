using System.Collections.Concurrent;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Wasmtime;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Holds the workloads placed on this node, runs each on its own thread once the local scheduler gives it a slot, and
/// reports what becomes of them. Every command names a placement generation; one for another generation than the copy
/// held here is ignored, so a stale command can never start a second copy.
/// </summary>
public sealed class WorkloadHost(
    Engine engine,
    ModuleCache modules,
    Outbox outbox,
    AgentOptions options,
    WorkloadOptions runtimeOptions,
    LocalSchedulerAdapter scheduling,
    PeriodicCheckpoints checkpoints,
    ILogger<WorkloadHost> logger)
{
    // Wasm recursion runs on the native stack of the thread that calls into Wasmtime.
    private const int ThreadStackBytes = 16 * 1024 * 1024;
    private readonly ConcurrentDictionary<Guid, ActiveWorkload> _active = new();

    /// <summary>What this agent owns: running, queued, suspended or paused workloads, and finished ones whose final status is still on its way.</summary>
    public IReadOnlyList<RunningWorkload> Owned() =>
        _active.Values.Where(a => !a.Discarded).Select(a => new RunningWorkload(a.Command.WorkloadId, a.Command.Generation, a.Paused)).ToList();

    /// <summary>The copy of <paramref name="workloadId"/> held here under <paramref name="generation"/>, if any.</summary>
    public ActiveWorkload? Find(Guid workloadId, long generation) =>
        _active.TryGetValue(workloadId, out var a) && a.Command.Generation == generation && !a.Discarded ? a : null;

    /// <summary>A fresh placement: runs when the local scheduler has a slot for it (reported Queued until then).</summary>
    public void Start(StartWorkloadCommand command)
    {
        if (Register(command, null, async (active, output) =>
            {
                var bytes = await modules.GetAsync(command.ModuleHash, active.Stop.Token);
                var spec = new WorkloadSpec(command.WorkloadId.ToString("N")[..8], bytes, command.Args, command.Env, command.MemoryLimitBytes,
                    Preopens: VolumeMounts.Preopens(command.Volumes, runtimeOptions), CpuTimeLimit: Seconds(command.CpuTimeLimitSeconds), OutputLimitBytes: command.OutputLimitBytes, WallClockLimit: Seconds(command.WallClockRemainingSeconds));
                var instance = new WorkloadInstance(engine, spec, output, runtimeOptions);
                outbox.ReportStatus(active, WorkloadState.Running);
                return instance;
            }) is { } active)
        {
            scheduling.Submit(active);
        }
    }

    /// <summary>Starts a workload from a checkpoint (migration target, recovery) at once; false when a copy of that or a newer generation is here already.</summary>
    public bool Restore(StartWorkloadCommand command, CheckpointManifest manifest, Func<ActiveWorkload, OutputForwarder, Task<WorkloadInstance>> restore)
    {
        if (Register(command, manifest, restore) is not { } active)
        {
            return false;
        }
        scheduling.Admit(active);
        return true;
    }

    private ActiveWorkload? Register(StartWorkloadCommand command, CheckpointManifest? manifest, Func<ActiveWorkload, OutputForwarder, Task<WorkloadInstance>> create)
    {
        var fresh = new ActiveWorkload(command, active =>
        {
            var thread = new Thread(() => Run(active, manifest, create), ThreadStackBytes) { IsBackground = true, Name = $"workload-{command.WorkloadId:N}" };
            thread.Start();
        });
        var current = _active.GetOrAdd(command.WorkloadId, fresh);
        if (!ReferenceEquals(current, fresh))
        {
            if (current.Command.Generation >= command.Generation)
            {
                return null;
            }
            // A newer placement of the same workload supersedes the copy here.
            DiscardCopy(current);
            _active[command.WorkloadId] = fresh;
        }
        return fresh;
    }

    public void Stop(StopWorkloadCommand command)
    {
        if (Find(command.WorkloadId, command.Generation) is not { } active)
        {
            return;
        }
        logger.LogInformation("Stopping workload {Workload}: {Reason}", command.WorkloadId, command.Reason);
        if (scheduling.Withdraw(active))
        {
            // Queued: it never ran, so there is no thread to end.
            active.Stop.Cancel();
            active.NeverStarted(new OperationCanceledException("stopped while queued"));
            Finish(active, WorkloadState.Stopped, null, "stopped on request while queued");
            return;
        }
        // Running, suspended or paused: the stop ends the run at its next safe point, or ends the pause.
        active.Stop.Cancel();
    }

    /// <summary>Ends copies the server no longer wants here, without reporting on them.</summary>
    public void Discard(IEnumerable<Guid> workloadIds)
    {
        foreach (var id in workloadIds)
        {
            if (_active.TryRemove(id, out var active))
            {
                logger.LogWarning("Discarding copy of workload {Workload} (generation {Generation})", id, active.Command.Generation);
                DiscardCopy(active);
            }
        }
    }

    /// <summary>Discards one generation's copy (after a committed migration, or a target's copy after an abort).</summary>
    public void Discard(WorkloadRef workload)
    {
        if (Find(workload.WorkloadId, workload.Generation) is { } active && _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(workload.WorkloadId, active)))
        {
            logger.LogInformation("Discarding copy of workload {Workload} (generation {Generation}) on the control plane's word", workload.WorkloadId, workload.Generation);
            DiscardCopy(active);
        }
    }

    /// <summary>Lets a copy paused for a migration continue (the migration was aborted).</summary>
    public void Resume(WorkloadRef workload)
    {
        if (Find(workload.WorkloadId, workload.Generation) is { Paused: true } active && active.Instance.IsCompletedSuccessfully)
        {
            scheduling.ResumeAfterMigration(active);
        }
    }

    private void DiscardCopy(ActiveWorkload active)
    {
        active.Discard();
        if (scheduling.Withdraw(active))
        {
            active.NeverStarted(new OperationCanceledException("discarded while queued"));
        }
    }

    private void Run(ActiveWorkload active, CheckpointManifest? manifest, Func<ActiveWorkload, OutputForwarder, Task<WorkloadInstance>> create)
    {
        var command = active.Command;
        RunOutcome outcome;
        using (var output = new OutputForwarder(command.WorkloadId, command.Generation, outbox, TimeSpan.FromMilliseconds(options.OutputFlushMilliseconds),
            manifest?.Wasi.StdoutOffset ?? 0, manifest?.Wasi.StderrOffset ?? 0))
        {
            active.Output = output;
            WorkloadInstance? instance = null;
            try
            {
                instance = create(active, output).GetAwaiter().GetResult();
                active.Started(instance);
                checkpoints.Track(active);
                outcome = instance.Run(active.Stop.Token);
            }
            catch (OperationCanceledException)
            {
                active.NeverStarted(new OperationCanceledException("stopped before it started"));
                outcome = new RunOutcome(null, "stopped on request", Stopped: true);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Workload {Workload} could not run", command.WorkloadId);
                active.NeverStarted(ex);
                outcome = new RunOutcome(null, $"the agent could not run it: {ex.Message}");
            }
            finally
            {
                active.CheckpointTimer?.Dispose();
                instance?.Dispose();
            }
        }
        scheduling.Ended(active);
        if (outcome.Discarded || active.Discarded)
        {
            _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(command.WorkloadId, active));
            logger.LogInformation("Workload {Workload} generation {Generation} discarded: it continues elsewhere", command.WorkloadId, command.Generation);
            return;
        }
        var state = outcome.Stopped ? WorkloadState.Stopped : outcome.Succeeded ? WorkloadState.Completed : WorkloadState.Failed;
        Finish(active, state, outcome.ExitCode, outcome.FailureReason);
        logger.LogInformation("Workload {Workload} {State} (exit {Exit}) {Reason}", command.WorkloadId, state, outcome.ExitCode, outcome.FailureReason);
    }

    private void Finish(ActiveWorkload active, WorkloadState state, int? exitCode, string? reason)
    {
        outbox.ReportStatus(active, state, reason, exitCode);
        // Owned until the final report is delivered, so a reconnect in between does not make the server think it was lost.
        outbox.Enqueue(_ =>
        {
            _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(active.Command.WorkloadId, active));
            return Task.CompletedTask;
        });
    }

    /// <summary>A limit in seconds from a command as the runtime takes it.</summary>
    internal static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
