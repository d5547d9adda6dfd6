using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Modules;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Orchestration;
using Microsoft.EntityFrameworkCore;
using ContinuumControl.Domain.Orchestration;

namespace ContinuumControl.Server.Workloads;

/// <summary>Creates, places, stops and deletes workloads, and applies what agents report about them.</summary>
public sealed class WorkloadLifecycle(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    AgentCommands agents,
    ClusterEvents events,
    Orchestration.EvaluationBroker broker,
    TimeProvider time)
{
    /// <summary>Places a new workload through the scheduler (a Submitted evaluation) and starts it; refused with every node's reason when none fits.</summary>
    public async Task<WorkloadDto> CreateAsync(WorkloadRequest request, CancellationToken cancellationToken)
    {
        Module module;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            module = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == request.ModuleHash, cancellationToken)
                ?? throw RefusalException.Invalid("moduleHash", $"No module has hash {request.ModuleHash}; upload it first with POST /api/modules.");
        }
        var workload = new Workload
        {
            Id = Guid.NewGuid(),
            Name = string.IsNullOrWhiteSpace(request.Name) ? module.Name : request.Name,
            ModuleHash = module.Hash,
            Args = [.. request.Args],
            Env = new Dictionary<string, string>(request.Env),
            MemoryLimitBytes = request.MemoryLimitBytes,
            RequiredClass = request.Class,
            RequiredLabels = new Dictionary<string, string>(request.Labels),
            Priority = request.Priority,
            RestartPolicy = request.Restart.Policy,
            MaxRestarts = request.Restart.MaxRestarts,
            RestartBackoffSeconds = request.Restart.BackoffSeconds,
            CheckpointIntervalSeconds = request.CheckpointIntervalSeconds,
            OutputLimitBytes = request.OutputLimitBytes,
            CpuTimeLimitSeconds = request.CpuTimeLimitSeconds,
            WallClockLimitSeconds = request.WallClockLimitSeconds,
            Volumes = new Dictionary<string, string>(request.Volumes, StringComparer.Ordinal),
            CreatedAt = time.GetUtcNow(),
            State = WorkloadState.Pending,
        };
        string? nodeName = null;
        var evaluation = new Evaluation(Guid.NewGuid(), EvaluationTrigger.Submitted, $"{workload.Name} submitted", WorkloadId: workload.Id);
        var record = await broker.EvaluateAsync(evaluation, [SnapshotReader.View(workload, module.Imports, null)], async (plan, _, ct) =>
        {
            if (plan.Placements.FirstOrDefault(p => p.WorkloadId == workload.Id) is not { } placement)
            {
                return [];
            }
            // Under the planning lock with a snapshot read just now: nothing else promised this capacity meanwhile.
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            workload.Place(placement.NodeId, time.GetUtcNow(), fromCheckpoint: false);
            db.Workloads.Add(workload);
            await db.SaveChangesAsync(ct);
            nodeName = (await db.Nodes.AsNoTracking().FirstAsync(n => n.Id == placement.NodeId, ct)).Name;
            await events.PublishNodesAsync(db, [placement.NodeId], ct);
            return [PlanItemOutcome.Committed(workload.Id)];
        }, cancellationToken);
        if (nodeName is null)
        {
            var refusal = record.Plan?.Refusals.FirstOrDefault(r => r.WorkloadId == workload.Id);
            var rejections = refusal?.Candidates ?? [];
            var explained = new PlacementDecision(null, rejections).Explain();
            throw new RefusalException(StatusCodes.Status409Conflict, "No node can take this workload",
                $"No Ready node fits: {explained}. Lower the memory limit, relax the constraints, or add a node.",
                new Dictionary<string, object?> { ["rejections"] = rejections, ["evaluationId"] = evaluation.Id });
        }
        var dto = workload.ToDto(nodeName);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: dto));
        await agents.StartAsync(workload, module.InstrumentedHash);
        return dto;
    }

    public async Task<WorkloadDto> StopAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw RefusalException.NotFound("Workload", id);
        if (workload.IsFinished)
        {
            throw new RefusalException(StatusCodes.Status409Conflict, "Workload already finished",
                $"Workload {id} is {workload.State}; there is nothing to stop. Delete it with DELETE /api/workloads/{id}.");
        }
        workload.Stop(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        if (workload.NodeId is { } nodeId)
        {
            await agents.StopAsync(nodeId, id, workload.Generation, "stopped on request");
            await events.PublishNodesAsync(db, [nodeId], cancellationToken);
        }
        var dto = await db.WorkloadDtoAsync(workload, cancellationToken);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: dto));
        return dto;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw RefusalException.NotFound("Workload", id);
        if (!workload.IsFinished && workload.NodeId is { } nodeId)
        {
            await agents.StopAsync(nodeId, id, workload.Generation, "deleted");
        }
        await db.OutputChunks.Where(c => c.WorkloadId == id).ExecuteDeleteAsync(cancellationToken);
        db.Workloads.Remove(workload);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadRemoved, RemovedId: id));
        if (workload.NodeId is { } node)
        {
            await events.PublishNodesAsync(db, [node], cancellationToken);
        }
    }

    /// <summary>Applies an agent's report; reports from another node or a stale generation change nothing.</summary>
    public async Task ApplyReportAsync(Guid reportingNode, Guid workloadId, long generation, WorkloadState state, int? exitCode, string? reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == workloadId, cancellationToken);
        if (workload is null || workload.NodeId != reportingNode || !workload.ApplyReport(generation, state, exitCode, reason, time.GetUtcNow()))
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: await db.WorkloadDtoAsync(workload, cancellationToken)));
        if (workload.IsFinished)
        {
            await events.PublishNodesAsync(db, [reportingNode], cancellationToken);
        }
    }

    /// <summary>Keeps the latest periodic checkpoint of the copy that runs now: a lost node's workloads resume from it.</summary>
    public async Task RecordCheckpointAsync(Guid reportingNode, CheckpointReport report, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == report.WorkloadId, cancellationToken);
        if (workload is null || workload.NodeId != reportingNode || workload.Generation != report.Generation || workload.IsFinished)
        {
            return;
        }
        workload.CheckpointManifestJson = report.ManifestJson;
        workload.CheckpointedAt = report.At;
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: await db.WorkloadDtoAsync(workload, cancellationToken)));
    }

    /// <summary>Pins a workload to its node (policies leave it there) or releases it.</summary>
    public async Task<WorkloadDto> PinAsync(Guid id, bool pinned, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.FirstOrDefaultAsync(w => w.Id == id, cancellationToken) ?? throw RefusalException.NotFound("Workload", id);
        if (workload.IsFinished)
        {
            throw new RefusalException(StatusCodes.Status409Conflict, "Workload already finished", $"Workload {workload.Name} is {workload.State}; only an unfinished workload can be pinned.");
        }
        workload.Pinned = pinned;
        await db.SaveChangesAsync(cancellationToken);
        var dto = await db.WorkloadDtoAsync(workload, cancellationToken);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: dto));
        return dto;
    }
}

/// <summary>A validated request to run a workload.</summary>
public sealed record WorkloadRequest(
    string ModuleHash,
    string? Name,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    long MemoryLimitBytes,
    NodeClass? Class,
    IReadOnlyDictionary<string, string> Labels,
    WorkloadPriority Priority = WorkloadPriority.Normal,
    long? OutputLimitBytes = null)
{
    public RestartSettings Restart { get; init; } = RestartSettings.Default;

    /// <summary>Null: the cluster's interval; 0: none.</summary>
    public int? CheckpointIntervalSeconds { get; init; }

    /// <summary>Null: no limit.</summary>
    public double? CpuTimeLimitSeconds { get; init; }

    /// <summary>Null: no limit.</summary>
    public double? WallClockLimitSeconds { get; init; }

    /// <summary>Guest path -> node volume name.</summary>
    public IReadOnlyDictionary<string, string> Volumes { get; init; } = new Dictionary<string, string>();
}

/// <summary>A validated restart policy.</summary>
public sealed record RestartSettings(RestartPolicy Policy, int MaxRestarts, int BackoffSeconds)
{
    public static RestartSettings Default { get; } = new(RestartPolicy.OnNodeLoss, Workload.DefaultMaxRestarts, Workload.DefaultBackoffSeconds);
}
