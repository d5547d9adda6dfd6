using System.Collections.Concurrent;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;
using Wasmtime;

namespace ContinuumControl.Agent.Workloads;

/// <summary>
/// Runs the workloads placed on this node, each on its own thread, and reports what becomes of them. Every command
/// names a placement generation; one for another generation than the copy running here is ignored, so a stale
/// command can never start a second copy.
/// </summary>
public sealed class WorkloadHost(Engine engine, ModuleCache modules, Outbox outbox, AgentOptions options, WorkloadOptions runtimeOptions, ILogger<WorkloadHost> logger)
{
    // Wasm recursion runs on the native stack of the thread that calls into Wasmtime.
    private const int ThreadStackBytes = 16 * 1024 * 1024;
    private readonly ConcurrentDictionary<Guid, ActiveWorkload> _active = new();

    /// <summary>What this agent owns: running (or paused) workloads and finished ones whose final status is still on its way.</summary>
    public IReadOnlyList<RunningWorkload> Owned() =>
        _active.Values.Where(a => !a.Discarded).Select(a => new RunningWorkload(a.Command.WorkloadId, a.Command.Generation, a.Paused)).ToList();

    public int Running => _active.Count;

    /// <summary>The copy of <paramref name="workloadId"/> running here under <paramref name="generation"/>, if any.</summary>
    public ActiveWorkload? Find(Guid workloadId, long generation) =>
        _active.TryGetValue(workloadId, out var a) && a.Command.Generation == generation && !a.Discarded ? a : null;

    public void Start(StartWorkloadCommand command) =>
        Launch(command, null, async (active, output) =>
        {
            var bytes = await modules.GetAsync(command.ModuleHash, active.Stop.Token);
            var spec = new WorkloadSpec(command.WorkloadId.ToString("N")[..8], bytes, command.Args, command.Env, command.MemoryLimitBytes);
            var instance = new WorkloadInstance(engine, spec, output, runtimeOptions);
            Report(active, "Running", null, null);
            return instance;
        });

    /// <summary>Starts a workload from a checkpoint (the target side of a migration).</summary>
    public void Restore(StartWorkloadCommand command, CheckpointManifest manifest, Func<ActiveWorkload, OutputForwarder, Task<WorkloadInstance>> restore) =>
        Launch(command, manifest, restore);

    private void Launch(StartWorkloadCommand command, CheckpointManifest? manifest, Func<ActiveWorkload, OutputForwarder, Task<WorkloadInstance>> create)
    {
        var fresh = new ActiveWorkload(command);
        var current = _active.GetOrAdd(command.WorkloadId, fresh);
        if (!ReferenceEquals(current, fresh))
        {
            if (current.Command.Generation >= command.Generation)
            {
                return;
            }
            // A newer placement of the same workload supersedes the copy here.
            current.Discard();
            _active[command.WorkloadId] = fresh;
        }
        var thread = new Thread(() => Run(fresh, manifest, create), ThreadStackBytes) { IsBackground = true, Name = $"workload-{command.WorkloadId:N}" };
        thread.Start();
    }

    public void Stop(StopWorkloadCommand command)
    {
        if (Find(command.WorkloadId, command.Generation) is { } active)
        {
            logger.LogInformation("Stopping workload {Workload}: {Reason}", command.WorkloadId, command.Reason);
            active.Stop.Cancel();
            if (active.Paused && active.Instance.IsCompletedSuccessfully)
            {
                active.Instance.Result.Discard();
            }
        }
    }

    /// <summary>Ends copies the server no longer wants here, without reporting on them.</summary>
    public void Discard(IEnumerable<Guid> workloadIds)
    {
        foreach (var id in workloadIds)
        {
            if (_active.TryRemove(id, out var active))
            {
                logger.LogWarning("Discarding copy of workload {Workload} (generation {Generation})", id, active.Command.Generation);
                active.Discard();
            }
        }
    }

    /// <summary>Discards one generation's copy (after a committed migration, or a target's copy after an abort).</summary>
    public void Discard(WorkloadRef workload)
    {
        if (Find(workload.WorkloadId, workload.Generation) is { } active && _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(workload.WorkloadId, active)))
        {
            logger.LogInformation("Discarding copy of workload {Workload} (generation {Generation}) on the control plane's word", workload.WorkloadId, workload.Generation);
            active.Discard();
        }
    }

    /// <summary>Lets a copy paused for a migration continue (the migration was aborted).</summary>
    public void Resume(WorkloadRef workload)
    {
        if (Find(workload.WorkloadId, workload.Generation) is { Paused: true } active && active.Instance.IsCompletedSuccessfully)
        {
            logger.LogInformation("Resuming workload {Workload} after an aborted migration", workload.WorkloadId);
            active.Paused = false;
            active.Instance.Result.Resume();
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
                outcome = instance.Run(active.Stop.Token);
            }
            catch (OperationCanceledException)
            {
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
                instance?.Dispose();
            }
        }
        if (outcome.Discarded || active.Discarded)
        {
            _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(command.WorkloadId, active));
            logger.LogInformation("Workload {Workload} generation {Generation} discarded: it continues elsewhere", command.WorkloadId, command.Generation);
            return;
        }
        var state = outcome.Stopped ? "Stopped" : outcome.Succeeded ? "Completed" : "Failed";
        Report(active, state, outcome.ExitCode, outcome.FailureReason);
        // Owned until the final report is delivered, so a reconnect in between does not make the server think it was lost.
        outbox.Enqueue(_ =>
        {
            _active.TryRemove(new KeyValuePair<Guid, ActiveWorkload>(command.WorkloadId, active));
            return Task.CompletedTask;
        });
        logger.LogInformation("Workload {Workload} {State} (exit {Exit}) {Reason}", command.WorkloadId, state, outcome.ExitCode, outcome.FailureReason);
    }

    private void Report(ActiveWorkload active, string state, int? exitCode, string? reason)
    {
        if (active.Discarded)
        {
            return;
        }
        var report = new WorkloadStatusReport(active.Command.WorkloadId, active.Command.Generation, state, exitCode, reason);
        outbox.Enqueue(hub => active.Discarded ? Task.CompletedTask : hub.InvokeAsync(nameof(IAgentHub.ReportStatus), report));
    }
}
