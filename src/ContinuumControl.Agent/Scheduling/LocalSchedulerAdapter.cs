using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Energy;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.AspNetCore.SignalR.Client;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Agent.Scheduling;

/// <summary>
/// Drives the node's workloads by the <see cref="LocalScheduler"/>'s decisions: starts threads, suspends at safe points
/// (a paused checkpoint whose state stays in memory), resumes, reports Queued / Suspended / Running, asks for offloads,
/// and holds all work while the simulated energy store is low. Every scheduler call happens under one lock, and the
/// decisions are carried out (queued, for the slow ones) under it too, so they take effect in the order made.
/// </summary>
public sealed class LocalSchedulerAdapter : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private readonly LocalScheduler _scheduler;
    private readonly Dictionary<Guid, ActiveWorkload> _workloads = [];
    private readonly EnergyModel? _energy;
    private readonly ITimer? _ticker;
    private readonly Outbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalSchedulerAdapter> _logger;

    public LocalSchedulerAdapter(AgentOptions options, Outbox outbox, TimeProvider time, ILogger<LocalSchedulerAdapter> logger)
    {
        _outbox = outbox;
        _time = time;
        _logger = logger;
        var offloadAfter = options.Scheduler.OffloadAfterMs > 0 ? TimeSpan.FromMilliseconds(options.Scheduler.OffloadAfterMs) : (TimeSpan?)null;
        _scheduler = new LocalScheduler(new LocalSchedulerSettings(options.OfferedSlots, options.OfferedMemoryBytes, options.NodeName, offloadAfter), time);
        _energy = options.Energy.Enabled ? new EnergyModel(options.Energy, time.GetUtcNow()) : null;
        if (_energy is not null || offloadAfter is not null)
        {
            _ticker = time.CreateTimer(_ => Tick(), null, TickInterval, TickInterval);
        }
    }

    /// <summary>The local scheduler's load, for heartbeats.</summary>
    public NodePressure Pressure()
    {
        lock (_gate)
        {
            return new NodePressure(_scheduler.Settings.Slots, _scheduler.Running, _scheduler.Queued, _scheduler.Suspended);
        }
    }

    /// <summary>The energy store, for heartbeats; null when the node is not energy-harvesting.</summary>
    public EnergyReport? Energy()
    {
        lock (_gate)
        {
            return _energy?.Report();
        }
    }

    public LocalWorkloadState? StateOf(ActiveWorkload active)
    {
        lock (_gate)
        {
            return _scheduler.StateOf(active.Key);
        }
    }

    /// <summary>A fresh workload: it starts now, preempts a lower-priority one, or is reported Queued.</summary>
    public void Submit(ActiveWorkload active)
    {
        lock (_gate)
        {
            _workloads[active.Key] = active;
            Execute(_scheduler.Submit(active.Key, active.Priority, active.Command.MemoryLimitBytes));
        }
    }

    /// <summary>A workload restored here (migration target, recovery): it starts now, even beyond the slots.</summary>
    public void Admit(ActiveWorkload active)
    {
        lock (_gate)
        {
            _workloads[active.Key] = active;
            var decisions = _scheduler.Admit(active.Key, active.Priority, active.Command.MemoryLimitBytes);
            active.LocalState = LocalWorkloadState.Running;
            active.Begin();
            // Under an energy hold this suspends it again at once.
            Execute(decisions);
        }
    }

    /// <summary>Its run is over (whatever the outcome): its slot and memory go to the next in line.</summary>
    public void Ended(ActiveWorkload active)
    {
        lock (_gate)
        {
            if (_workloads.Remove(active.Key))
            {
                Execute(_scheduler.Remove(active.Key));
            }
        }
    }

    /// <summary>Takes a queued workload (one that never ran) out of the queue; false when it is not queued.</summary>
    public bool Withdraw(ActiveWorkload active)
    {
        lock (_gate)
        {
            if (_scheduler.StateOf(active.Key) != LocalWorkloadState.Queued)
            {
                return false;
            }
            _workloads.Remove(active.Key);
            Execute(_scheduler.Remove(active.Key));
            return true;
        }
    }

    /// <summary>A migration is about to checkpoint it: it must be running, and is not suspended until <see cref="Unpin"/>.</summary>
    /// <exception cref="InvalidOperationException">It is queued or suspended; the message says so and what to do.</exception>
    public void PinForMigration(ActiveWorkload active)
    {
        lock (_gate)
        {
            if (!_scheduler.TryPin(active.Key, out var refusal))
            {
                throw new InvalidOperationException($"workload {active.Command.WorkloadId}: {refusal}");
            }
            active.Migrating = true;
        }
    }

    /// <summary>The migration checkpoint is over and the workload runs on (pre-copy, or a failed capture).</summary>
    public void Unpin(ActiveWorkload active)
    {
        lock (_gate)
        {
            active.Migrating = false;
            Execute(_scheduler.Unpin(active.Key));
        }
    }

    /// <summary>The migration that paused it was aborted: it continues here, or stays paused as suspended if the node is held.</summary>
    public void ResumeAfterMigration(ActiveWorkload active)
    {
        lock (_gate)
        {
            active.Paused = false;
            active.Migrating = false;
            var decisions = _scheduler.Unpin(active.Key);
            if (_scheduler.StateOf(active.Key) == LocalWorkloadState.Running)
            {
                _logger.LogInformation("Resuming workload {Workload} after an aborted migration", active.Command.WorkloadId);
                _ = active.RunExclusive(() => ResumeAsync(active, report: false));
            }
            Execute(decisions);
        }
    }

    /// <summary>Advances the energy store and asks for overdue offloads. Runs on a 250 ms timer.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_energy is not null)
            {
                switch (_energy.Update(_time.GetUtcNow(), _scheduler.Running))
                {
                    case EnergyTransition.Suspend:
                        var reason = $"energy store at {_energy.Level * 100:0}%: suspended until harvest recovers";
                        _logger.LogWarning("Energy store at {Level:P0} (harvest {Harvest} W, draw {Draw} W): suspending {Count} running workloads until harvest recovers",
                            _energy.Level, _energy.Report().HarvestWatts, _energy.DrawWatts, _scheduler.Running);
                        Execute(_scheduler.Hold(reason));
                        break;
                    case EnergyTransition.Resume:
                        _logger.LogInformation("Energy store back at {Level:P0}: resuming suspended workloads", _energy.Level);
                        Execute(_scheduler.Release());
                        break;
                }
                _energy.Load(_scheduler.Running);
            }
            foreach (var offload in _scheduler.DueOffloads())
            {
                if (_workloads.TryGetValue(offload.Key, out var active))
                {
                    _logger.LogInformation("Asking the control plane to offload workload {Workload}: {Reason}", active.Command.WorkloadId, offload.Reason);
                    var request = new OffloadRequest(active.Command.WorkloadId, active.Command.Generation, offload.Reason);
                    _outbox.Enqueue(request, (hub, r) => active.Discarded ? Task.CompletedTask : hub.InvokeAsync(nameof(IAgentHub.RequestOffload), r), droppable: true, kind: "offload request");
                }
            }
        }
    }

    public void Dispose() => _ticker?.Dispose();

    private void Execute(IReadOnlyList<SchedulerDecision> decisions)
    {
        foreach (var decision in decisions)
        {
            if (!_workloads.TryGetValue(decision.Key, out var active))
            {
                continue;
            }
            var id = active.Command.WorkloadId;
            switch (decision)
            {
                case QueueDecision queue:
                    active.LocalState = LocalWorkloadState.Queued;
                    _logger.LogInformation("Workload {Workload} ({Priority}) waits: {Reason}", id, active.Priority, queue.Reason);
                    _outbox.ReportStatus(active, WorkloadState.Queued, queue.Reason);
                    break;
                case StartDecision:
                    active.LocalState = LocalWorkloadState.Running;
                    active.Begin();
                    break;
                case SuspendDecision suspend:
                    active.LocalState = LocalWorkloadState.Suspended;
                    _logger.LogInformation("Suspending workload {Workload} ({Priority}): {Reason}", id, active.Priority, suspend.Reason);
                    _ = active.RunExclusive(() => SuspendAsync(active, suspend.Reason));
                    break;
                case ResumeDecision:
                    active.LocalState = LocalWorkloadState.Running;
                    _logger.LogInformation("Resuming suspended workload {Workload} ({Priority})", id, active.Priority);
                    _ = active.RunExclusive(() => ResumeAsync(active, report: true));
                    break;
            }
        }
    }

    private async Task SuspendAsync(ActiveWorkload active, string reason)
    {
        try
        {
            var instance = await active.Instance;
            // Already paused (a migration's pause that was just aborted): it simply stays paused.
            if (instance.State != WorkloadInstanceState.Paused)
            {
                await instance.RequestCheckpoint(CheckpointMode.Pause, DiscardingChunkStore.Instance);
            }
            active.Output?.Flush();
            _outbox.ReportStatus(active, WorkloadState.Suspended, reason);
        }
        catch (Exception ex)
        {
            // It ended (or was stopped) before reaching a safe point: its final status says what became of it.
            _logger.LogDebug(ex, "Workload {Workload} was not suspended", active.Command.WorkloadId);
        }
    }

    private async Task ResumeAsync(ActiveWorkload active, bool report)
    {
        try
        {
            var instance = await active.Instance;
            if (instance.State != WorkloadInstanceState.Paused || active.Paused)
            {
                return;
            }
            instance.Resume();
            if (report)
            {
                _outbox.ReportStatus(active, WorkloadState.Running);
            }
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Workload {Workload} was not resumed", active.Command.WorkloadId);
        }
    }
}
