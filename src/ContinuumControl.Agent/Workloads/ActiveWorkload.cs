using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Agent.Workloads;

/// <summary>A workload this agent holds under one placement generation, and the instance executing it once created.</summary>
/// <param name="launch">Starts its thread; called once, when the local scheduler gives it a slot.</param>
public sealed class ActiveWorkload(StartWorkloadCommand command, Action<ActiveWorkload> launch)
{
    private readonly TaskCompletionSource<WorkloadInstance> _instance = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Task _exclusiveTail = Task.CompletedTask;
    private bool _begun;
    private bool _finalReported;

    public StartWorkloadCommand Command { get; } = command;

    /// <summary>This copy's key in the local scheduler (a newer generation of the same workload is another copy).</summary>
    public Guid Key { get; } = Guid.NewGuid();

    public WorkloadPriority Priority { get; } = Enum.IsDefined(command.Priority) ? command.Priority : WorkloadPriority.Normal;

    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Set once the server placed it elsewhere: it ends without reporting.</summary>
    public bool Discarded { get; private set; }

    /// <summary>Waits paused at a migration's checkpoint for Resume or Discard.</summary>
    public bool Paused { get; set; }

    /// <summary>The local scheduler's view (set by the scheduler adapter).</summary>
    public LocalWorkloadState LocalState { get; set; } = LocalWorkloadState.Queued;

    /// <summary>A migration is checkpointing it (or holds it paused): the scheduler leaves it alone.</summary>
    public bool Migrating { get; set; }

    public OutputForwarder? Output { get; set; }

    /// <summary>The periodic checkpoint timer, disposed when the run ends.</summary>
    public IDisposable? CheckpointTimer { get; set; }

    /// <summary>True once its thread was started.</summary>
    public bool Begun
    {
        get
        {
            lock (_gate)
            {
                return _begun;
            }
        }
    }

    /// <summary>The running instance, once the module is compiled (or the checkpoint restored).</summary>
    public Task<WorkloadInstance> Instance => _instance.Task;

    public void Started(WorkloadInstance instance) => _instance.TrySetResult(instance);

    public void NeverStarted(Exception reason) => _instance.TrySetException(reason);

    /// <summary>Starts its thread, once.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            if (_begun)
            {
                return;
            }
            _begun = true;
        }
        launch(this);
    }

    /// <summary>
    /// Runs <paramref name="step"/> after every step queued before it has finished (failed or not): checkpoints
    /// (periodic, migration), suspensions and resumptions of one workload never overlap and happen in the order asked.
    /// </summary>
    public Task RunExclusive(Func<Task> step)
    {
        lock (_gate)
        {
            var next = _exclusiveTail.ContinueWith(_ => step(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _exclusiveTail = next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return next;
        }
    }

    /// <summary>
    /// Hands a status report to <paramref name="send"/> unless the copy was discarded or its final status (Completed,
    /// Failed, Stopped) was already sent: a late Suspended can never follow a Stopped.
    /// </summary>
    public void Report(WorkloadState state, int? exitCode, string? reason, Action<WorkloadStatusReport> send)
    {
        lock (_gate)
        {
            if (Discarded || _finalReported)
            {
                return;
            }
            _finalReported = state.IsFinished;
            send(new WorkloadStatusReport(Command.WorkloadId, Command.Generation, state, exitCode, reason));
        }
    }

    public void Discard()
    {
        Discarded = true;
        Stop.Cancel();
        if (_instance.Task.IsCompletedSuccessfully && Paused)
        {
            try
            {
                _instance.Task.Result.Discard();
            }
            catch (InvalidOperationException)
            {
                // The stop above already ended the pause.
            }
        }
    }
}
