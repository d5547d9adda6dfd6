using System.Diagnostics;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Instrumentation;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// One migratable run of a workload. Create it (from a spec, or with <see cref="RestoreAsync"/> from a checkpoint),
/// call <see cref="Run"/> on the thread that should execute it, and from any other thread call
/// <see cref="RequestCheckpoint"/>, then <see cref="Resume"/> or <see cref="Discard"/> after a paused checkpoint.
/// </summary>
public sealed partial class WorkloadInstance : IDisposable
{
    private readonly Engine engine;
    private readonly Module module;
    private readonly WorkloadOptions options;
    private readonly SafePointSignal signal = new();
    private readonly CheckpointWriter writer = new();
    private readonly object gate = new();
    private readonly IReadOnlyList<string> args;
    private readonly IReadOnlyDictionary<string, string> env;
    private readonly IReadOnlyList<PreopenedDirectory> preopens;
    private readonly long memoryLimit;
    private readonly TimeSpan? cpuLimit;
    private readonly TimeSpan? wallClockLimit;
    private readonly OutputCounter output;
    private readonly CheckpointManifest? restoreFrom;
    private readonly RestoreTiming? restoreTiming;
    private GuestInstance? staged;
    private CheckpointRequest? pendingRequest;
    private PauseDecision decision;
    private long sequence;
    private TimeSpan cpuUsedBefore;

    /// <summary>Prepares <paramref name="spec"/>: instruments the module if needed (see <see cref="ModuleInstrumenter"/>) and compiles it.</summary>
    public WorkloadInstance(Engine engine, WorkloadSpec spec, IOutputSink output, WorkloadOptions? options = null)
    {
        this.engine = engine;
        this.options = options ?? new WorkloadOptions();
        Module = new ModuleInstrumenter(this.options.Instrumentation).Instrument(spec.ModuleBytes);
        Name = spec.Name;
        args = spec.Args;
        env = spec.Env;
        preopens = spec.Preopens ?? [];
        memoryLimit = spec.MemoryLimitBytes;
        cpuLimit = spec.CpuTimeLimit;
        wallClockLimit = spec.WallClockLimit;
        this.output = new OutputCounter(output, 0, 0, spec.OutputLimitBytes);
        module = Compile();
    }

    private WorkloadInstance(Engine engine, CheckpointManifest manifest, IOutputSink output, RestoreOptions restore, StagedRestore.Taken taken, RestoreTiming timing)
    {
        this.engine = engine;
        options = restore.Workload;
        Module = taken.Instrumented;
        Name = manifest.WorkloadName;
        args = RestoreChecks.Args(manifest, restore);
        env = RestoreChecks.Env(manifest, restore);
        preopens = RestoreChecks.Preopens(manifest, restore);
        memoryLimit = RestoreChecks.MemoryLimit(manifest, restore);
        cpuLimit = restore.CpuTimeLimit ?? manifest.CpuTimeLimit;
        wallClockLimit = restore.WallClockLimit;
        cpuUsedBefore = manifest.CpuTimeUsed;
        sequence = manifest.Sequence;
        this.output = new OutputCounter(output, manifest.Wasi.StdoutOffset, manifest.Wasi.StderrOffset, restore.OutputLimitBytes);
        restoreFrom = manifest;
        // The instance arrives with the checkpoint's memory in place; Run sets globals and rewinds the call stack.
        module = taken.Module;
        staged = taken.Guest;
        restoreTiming = timing;
    }

    /// <summary>The instrumented module this instance runs (its hash is what checkpoints name).</summary>
    public InstrumentedModule Module { get; }

    public string Name { get; }

    public WorkloadInstanceState State { get; private set; }

    /// <summary>
    /// Called on the workload's thread when a restored instance has its state back and is about to continue: the end of
    /// a migration's downtime. Set before <see cref="Run"/>.
    /// </summary>
    public Action? Resumed { get; set; }

    /// <summary>Timings of the restore this instance continues, once it runs guest code again (null for a fresh start).</summary>
    public RestoreTiming? LastRestoreTiming { get; private set; }

    /// <summary>Timings of the most recent checkpoint, for metrics and benchmarks.</summary>
    public CheckpointTiming? LastCheckpointTiming { get; private set; }

    /// <summary>
    /// Verifies a checkpoint and prepares a fresh instance that continues it: the module must hash to the
    /// manifest's module hash and every chunk must be present and intact, otherwise
    /// <see cref="CheckpointRejectedException"/> is thrown and nothing runs. Call <see cref="Run"/> to continue.
    /// </summary>
    /// <param name="moduleBytes">The instrumented module (<see cref="InstrumentedModule.Bytes"/>) the checkpoint was taken from.</param>
    public static async Task<WorkloadInstance> RestoreAsync(
        Engine engine, CheckpointManifest manifest, IChunkStore chunks, byte[] moduleBytes, IOutputSink output, RestoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RestoreOptions();
        var started = Stopwatch.GetTimestamp();
        // A staged instance that fits needs only the pages that changed since its pre-copy; otherwise one is made now.
        if (options.Staged?.TryTake(manifest, options) is { } staged)
        {
            try
            {
                CheckpointLoader.Check(manifest, staged.Instrumented.Hash);
                RestoreChecks.InstrumentationVersion(manifest);
                await MemoryImage.LoadAsync(staged.Guest.Memory, manifest, staged.Pages, chunks, options.VerifiedPages, cancellationToken);
                return new WorkloadInstance(engine, manifest, output, options, staged, new RestoreTiming(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero) { Staged = true });
            }
            catch
            {
                staged.Dispose();
                throw;
            }
        }
        var taken = await StagedRestore.PrepareTakenAsync(engine, manifest, chunks, moduleBytes, options, cancellationToken);
        try
        {
            return new WorkloadInstance(engine, manifest, output, options, taken, taken.Timing);
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the workload to stop at its next safe point and capture its state into <paramref name="store"/>. Safe to
    /// call from any thread. The task completes once chunks are stored; with <see cref="CheckpointMode.Pause"/> the
    /// workload then waits for <see cref="Resume"/> or <see cref="Discard"/>. Fails if the workload ends first.
    /// </summary>
    public Task<CheckpointManifest> RequestCheckpoint(CheckpointMode mode, IChunkStore store, CancellationToken cancellationToken = default)
    {
        var request = new CheckpointRequest(mode, store, Stopwatch.GetTimestamp(), cancellationToken);
        lock (gate)
        {
            if (State == WorkloadInstanceState.Ended)
            {
                throw new InvalidOperationException($"workload '{Name}' has ended; there is nothing to checkpoint");
            }
            if (pendingRequest is not null || State == WorkloadInstanceState.Paused)
            {
                throw new InvalidOperationException($"workload '{Name}' already has a checkpoint in progress or is paused; wait for it, then Resume or Discard");
            }
            pendingRequest = request;
            decision = PauseDecision.None;
        }
        signal.Raise(SafePointReason.Checkpoint);
        return request.Completion.Task;
    }

    /// <summary>Lets a paused workload continue where it stopped (the migration was aborted, or the periodic checkpoint is done).</summary>
    public void Resume() => Decide(PauseDecision.Resume);

    /// <summary>Ends a paused workload without running it further: its state continues elsewhere. <see cref="Run"/> then returns with <see cref="RunOutcome.Discarded"/>.</summary>
    public void Discard() => Decide(PauseDecision.Discard);

    public void Dispose()
    {
        signal.Detach();
        // A staged instance never run (Run not called) is still ours to release.
        staged?.Dispose();
        module.Dispose();
    }

    private void Decide(PauseDecision value)
    {
        lock (gate)
        {
            var pausing = State == WorkloadInstanceState.Paused || pendingRequest?.Mode == CheckpointMode.Pause;
            if (!pausing)
            {
                throw new InvalidOperationException($"workload '{Name}' is not paused at a checkpoint; request a checkpoint with CheckpointMode.Pause first");
            }
            decision = value;
            Monitor.PulseAll(gate);
        }
    }

    private Module Compile() => RestoreChecks.Compile(engine, options, Name, Module);

    private enum PauseDecision
    {
        None,
        Resume,
        Discard,
    }

    private sealed record CheckpointRequest(CheckpointMode Mode, IChunkStore Store, long RequestedAt, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<CheckpointManifest> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set once the state is copied out; from then on only the writer completes the request.</summary>
        public bool Captured { get; set; }
    }
}
