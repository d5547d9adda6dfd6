using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Scheduling;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>Creates, places, stops and deletes workloads, and applies what agents report about them.</summary>
public sealed class WorkloadLifecycle(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    AgentCommands agents,
    ClusterEvents events,
    FirstPlacement placement,
    TimeProvider time)
{
    // One placement at a time keeps two concurrent requests from promising the same memory twice.
    private readonly SemaphoreSlim _placementLock = new(1, 1);

    public async Task<WorkloadDto> CreateAsync(WorkloadRequest request, CancellationToken cancellationToken)
    {
        await _placementLock.WaitAsync(cancellationToken);
        Workload workload;
        string nodeName;
        string instrumentedHash;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var module = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == request.ModuleHash, cancellationToken)
                ?? throw RefusalException.Invalid("moduleHash", $"No module has hash {request.ModuleHash}; upload it first with POST /api/modules.");
            var needs = new PlacementRequest(request.MemoryLimitBytes, new WorkloadConstraints(request.Class, request.Labels),
                module.Imports.Select(i => i.Split('.', 2)[0]).Distinct().ToList());
            var decision = placement.Choose(await CandidatesAsync(db, cancellationToken), needs);
            if (decision.Node is not { } node)
            {
                throw new RefusalException(StatusCodes.Status409Conflict, "No node can take this workload",
                    $"No Ready node fits: {decision.Explain()}. Lower the memory limit, relax the constraints, or add a node.",
                    new Dictionary<string, object?> { ["rejections"] = decision.Rejections });
            }
            workload = new Workload
            {
                Id = Guid.NewGuid(),
                Name = string.IsNullOrWhiteSpace(request.Name) ? module.Name : request.Name,
                ModuleHash = module.Hash,
                Args = [.. request.Args],
                Env = new Dictionary<string, string>(request.Env),
                MemoryLimitBytes = request.MemoryLimitBytes,
                RequiredClass = request.Class,
                RequiredLabels = new Dictionary<string, string>(request.Labels),
                CreatedAt = time.GetUtcNow(),
            };
            workload.Place(node.Id);
            nodeName = node.Name;
            instrumentedHash = module.InstrumentedHash;
            db.Workloads.Add(workload);
            await db.SaveChangesAsync(cancellationToken);
            await events.PublishNodesAsync(db, [node.Id], cancellationToken);
        }
        finally
        {
            _placementLock.Release();
        }
        var dto = workload.ToDto(nodeName);
        events.Publish(new ClusterChange(ClusterChangeKind.WorkloadUpserted, Workload: dto));
        await agents.StartAsync(workload, instrumentedHash);
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

    public static async Task<List<NodeCandidate>> CandidatesAsync(ControlPlaneDbContext db, CancellationToken cancellationToken)
    {
        var allocations = await db.AllocationsAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().ToListAsync(cancellationToken);
        return nodes.Select(n =>
        {
            var a = allocations.GetValueOrDefault(n.Id);
            return new NodeCandidate(n.Id, n.Name, n.Class, n.State, n.MemoryBytes, a.MemoryBytes, a.Workloads, n.Labels, n.Capabilities);
        }).ToList();
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
    IReadOnlyDictionary<string, string> Labels);
