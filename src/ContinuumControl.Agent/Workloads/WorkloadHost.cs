using System.Collections.Concurrent;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Workloads;

/// <summary>Runs the workloads placed on this node, each on its own thread, and reports what becomes of them.</summary>
public sealed class WorkloadHost(ModuleCache modules, WorkloadRunner runner, Outbox outbox, AgentOptions options, ILogger<WorkloadHost> logger)
{
    // Wasm recursion runs on the native stack of the thread that calls into Wasmtime.
    private const int ThreadStackBytes = 16 * 1024 * 1024;
    private readonly ConcurrentDictionary<Guid, ActiveWorkload> _active = new();

    /// <summary>What this agent owns: running workloads and finished ones whose final status is still on its way.</summary>
    public IReadOnlyList<RunningWorkload> Owned() =>
        _active.Values.Where(a => !a.Discarded).Select(a => new RunningWorkload(a.Command.WorkloadId, a.Command.Generation)).ToList();

    public int Running => _active.Count;

    public void Start(StartWorkloadCommand command)
    {
        var fresh = new ActiveWorkload(command);
        var current = _active.GetOrAdd(command.WorkloadId, fresh);
        if (!ReferenceEquals(current, fresh))
        {
            if (current.Command.Generation >= command.Generation)
            {
                return;
            }
            // A newer placement of the same workload supersedes the copy running here.
            current.Discard();
            _active[command.WorkloadId] = fresh;
        }
        var thread = new Thread(() => Run(fresh), ThreadStackBytes) { IsBackground = true, Name = $"workload-{command.WorkloadId:N}" };
        thread.Start();
    }

    public void Stop(StopWorkloadCommand command)
    {
        if (_active.TryGetValue(command.WorkloadId, out var active) && active.Command.Generation == command.Generation)
        {
            logger.LogInformation("Stopping workload {Workload}: {Reason}", command.WorkloadId, command.Reason);
            active.Stop.Cancel();
        }
    }

    /// <summary>Ends copies the server no longer wants here, without reporting on them.</summary>
    public void Discard(IEnumerable<Guid> workloadIds)
    {
        foreach (var id in workloadIds)
        {
            if (_active.TryRemove(id, out var active))
            {
                logger.LogWarning("Discarding stale copy of workload {Workload} (generation {Generation})", id, active.Command.Generation);
                active.Discard();
            }
        }
    }

    private void Run(ActiveWorkload active)
    {
        var command = active.Command;
        RunOutcome outcome;
        using (var output = new OutputForwarder(command.WorkloadId, command.Generation, outbox, TimeSpan.FromMilliseconds(options.OutputFlushMilliseconds)))
        {
            try
            {
                var bytes = modules.GetAsync(command.ModuleHash, active.Stop.Token).GetAwaiter().GetResult();
                Report(active, "Running", null, null);
                var spec = new WorkloadSpec(command.WorkloadId.ToString("N")[..8], bytes, command.Args, command.Env, command.MemoryLimitBytes);
                outcome = runner.Run(spec, output, active.Stop.Token);
            }
            catch (OperationCanceledException)
            {
                outcome = new RunOutcome(null, "stopped on request", Stopped: true);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Workload {Workload} could not run", command.WorkloadId);
                outcome = new RunOutcome(null, $"the agent could not run it: {ex.Message}");
            }
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

    private sealed class ActiveWorkload(StartWorkloadCommand command)
    {
        public StartWorkloadCommand Command { get; } = command;
        public CancellationTokenSource Stop { get; } = new();
        public bool Discarded { get; private set; }

        public void Discard()
        {
            Discarded = true;
            Stop.Cancel();
        }
    }
}
