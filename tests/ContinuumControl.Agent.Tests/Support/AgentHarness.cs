using ContinuumControl.Agent.Checkpoints;
using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Scheduling;
using ContinuumControl.Agent.Workloads;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wasmtime;

namespace ContinuumControl.Agent.Tests.Support;

/// <summary>
/// One node agent's workload side wired as the agent process wires it, with real Wasmtime, against a
/// <see cref="FakeControlPlane"/> (HTTP) and a <see cref="RecordingHub"/> (everything the outbox delivers).
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _delivery;

    public AgentHarness(FakeControlPlane controlPlane, int slots, string name = "edge-1", int memoryMiB = 4096, TimeProvider? time = null, Action<AgentOptions>? configure = null)
    {
        time ??= TimeProvider.System;
        ControlPlane = controlPlane;
        Directory = Path.Combine(Path.GetTempPath(), "cc-agent-tests", Guid.NewGuid().ToString("N"));
        Options = new AgentOptions
        {
            ServerUrl = "http://control-plane.test",
            JoinToken = "ccj_test",
            Name = name,
            Slots = slots,
            MemoryMiB = memoryMiB,
            DataDirectory = Directory,
            OutputFlushMilliseconds = 50,
            Scheduler = new LocalSchedulerOptions { OffloadAfterMs = 0 },
        };
        configure?.Invoke(Options);
        Outbox = new Outbox(NullLogger<Outbox>.Instance);
        _delivery = Outbox.RunAsync(() => Hub, _stopping.Token);
        Engine = RuntimeEngine.Create();
        var runtime = new WorkloadOptions();
        var modules = new ModuleCache(Options, controlPlane);
        Remote = new ControlPlaneChunkStore(Options, controlPlane);
        var cache = new CachingChunkStore(new FileChunkStore(Path.Combine(Directory, "chunks")), Remote);
        Scheduling = new LocalSchedulerAdapter(Options, Outbox, time, NullLogger<LocalSchedulerAdapter>.Instance);
        Checkpoints = new PeriodicCheckpoints(Remote, Outbox, time, NullLogger<PeriodicCheckpoints>.Instance);
        Host = new WorkloadHost(Engine, modules, Outbox, Options, runtime, Scheduling, Checkpoints, NullLogger<WorkloadHost>.Instance);
        var restorer = new CheckpointRestorer(Engine, Host, modules, cache, runtime, RestorerLog);
        Recovery = new WorkloadRecovery(restorer, Outbox, NullLogger<WorkloadRecovery>.Instance);
        Migrations = new MigrationParticipant(Engine, Host, Scheduling, restorer, modules, Remote, cache, runtime, Outbox, Options, time,
            new ParticipantTelemetry(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), MigrationLog);
    }

    public FakeControlPlane ControlPlane { get; }
    public string Directory { get; }
    public AgentOptions Options { get; }
    public RecordingHub Hub { get; } = new();
    public Outbox Outbox { get; }
    public Engine Engine { get; }
    public ControlPlaneChunkStore Remote { get; }
    public LocalSchedulerAdapter Scheduling { get; }
    public PeriodicCheckpoints Checkpoints { get; }
    public WorkloadHost Host { get; }
    public WorkloadRecovery Recovery { get; }
    public MigrationParticipant Migrations { get; }
    public RecordingLogger<MigrationParticipant> MigrationLog { get; } = new();
    public RecordingLogger<CheckpointRestorer> RestorerLog { get; } = new();

    /// <summary>A placement of a committed, already instrumented sample (samples/workloads/instrumented).</summary>
    public StartWorkloadCommand Command(string sample, WorkloadPriority priority, string[]? args = null, int checkpointIntervalMs = 0, long generation = 1) =>
        new(Guid.NewGuid(), generation, ControlPlane.AddModule(Samples.Instrumented(sample)), args ?? [], new Dictionary<string, string>(), 256L * 1024 * 1024, priority, checkpointIntervalMs);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Host.Owned())
        {
            Host.Discard(new WorkloadRef(owned.WorkloadId, owned.Generation));
        }
        // Threads end at their next safe point; the engine must outlive them.
        for (var i = 0; i < 500 && Scheduling.Pressure() is { SlotsUsed: > 0 } or { Suspended: > 0 }; i++)
        {
            await Task.Delay(20);
        }
        await _stopping.CancelAsync();
        try
        {
            await _delivery;
        }
        catch (OperationCanceledException)
        {
        }
        Scheduling.Dispose();
        Engine.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
