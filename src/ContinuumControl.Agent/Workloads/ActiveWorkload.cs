using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Agent.Workloads;

/// <summary>A workload this agent runs under one placement generation, and the instance executing it once created.</summary>
public sealed class ActiveWorkload(StartWorkloadCommand command)
{
    private readonly TaskCompletionSource<WorkloadInstance> _instance = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StartWorkloadCommand Command { get; } = command;
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Set once the server placed it elsewhere: it ends without reporting.</summary>
    public bool Discarded { get; private set; }

    /// <summary>Waits paused at a checkpoint for Resume or Discard.</summary>
    public bool Paused { get; set; }

    public OutputForwarder? Output { get; set; }

    /// <summary>The running instance, once the module is compiled (or the checkpoint restored).</summary>
    public Task<WorkloadInstance> Instance => _instance.Task;

    public void Started(WorkloadInstance instance) => _instance.TrySetResult(instance);

    public void NeverStarted(Exception reason) => _instance.TrySetException(reason);

    public void Discard()
    {
        Discarded = true;
        Stop.Cancel();
        if (_instance.Task.IsCompletedSuccessfully && Paused)
        {
            _instance.Task.Result.Discard();
        }
    }
}
