using ContinuumControl.Runtime.Instrumentation;

namespace ContinuumControl.Runtime.Execution;

/// <summary>Node-level settings for running workloads.</summary>
public sealed record WorkloadOptions
{
    /// <summary>Used when a module arrives uninstrumented.</summary>
    public InstrumentationOptions Instrumentation { get; init; } = new();

    /// <summary>Where compiled modules are kept; null compiles every time.</summary>
    public PrecompiledModuleCache? PrecompiledCache { get; init; }

    /// <summary>
    /// Most bytes at the top of linear memory an unwind may borrow for the call stack it saves (given back at once, see
    /// <see cref="CallStackScratch"/>); never more than the memory has. Deep call stacks need more.
    /// </summary>
    public int AsyncifyBufferBytes { get; init; } = 1 << 20;

    /// <summary>
    /// How long a checkpoint of a module that yields itself waits for the guest's own yield before it is taken at an
    /// inserted safe point instead. Guests are asked to yield every few milliseconds (continuum.h), so this is reached
    /// only by one that has stopped yielding.
    /// </summary>
    public TimeSpan CooperativeYieldGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a guest may go without reaching a safe point once it was told to stop (or passed a limit) before the
    /// engine kills it; only on an engine made with <see cref="RuntimeEngine.Create"/>'s epoch backstop. Null: no
    /// backstop (the inline safe-point checks are the only way in).
    /// </summary>
    public TimeSpan? EngineBackstop { get; init; }

    /// <summary>The volumes this node offers workloads: name -> host directory (an agent's Agent:Volumes).</summary>
    public IReadOnlyDictionary<string, string> Volumes { get; init; } = new Dictionary<string, string>();

    /// <summary>The clock for checkpoint times and the timers of limits and yield graces.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>How a checkpoint is restored on this node.</summary>
public sealed record RestoreOptions
{
    /// <summary>
    /// The arguments the restored run gets, from the control plane's command. The manifest's are only the agent's
    /// word (it is not authenticated), so when set these replace them; null keeps the manifest's (runtime-level use).
    /// </summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>The environment the restored run gets, from the control plane's command (see <see cref="Args"/>).</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>The directories the restored run may open, from the control plane's command (see <see cref="Args"/>).</summary>
    public IReadOnlyList<Checkpoints.CheckpointPreopen>? Preopens { get; init; }

    /// <summary>Host path for each volume named in the checkpoint's preopens.</summary>
    public IReadOnlyDictionary<string, string> Volumes { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides the memory limit recorded in the checkpoint.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Overrides the CPU-time limit recorded in the checkpoint.</summary>
    public TimeSpan? CpuTimeLimit { get; init; }

    /// <summary>Time the restored run may take from its start (what is left of the workload's wall-clock limit); null for no limit.</summary>
    public TimeSpan? WallClockLimit { get; init; }

    /// <summary>Bytes of stdout and stderr together the workload may write in total (checkpoints do not record it); null for no limit.</summary>
    public long? OutputLimitBytes { get; init; }

    public WorkloadOptions Workload { get; init; } = new();

    /// <summary>Pages verified before the restore (a migration target's prefetch); only the others are read and verified during it.</summary>
    public Checkpoints.VerifiedPages? VerifiedPages { get; init; }

    /// <summary>An instance staged from a pre-copy (the first stage of a two-stage restore); taken over when it fits the checkpoint.</summary>
    public StagedRestore? Staged { get; init; }
}
