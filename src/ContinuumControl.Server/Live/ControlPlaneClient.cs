using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Workloads;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Live;

/// <summary>The dashboard's view of the control plane, in process: same services as the REST API.</summary>
public sealed class ControlPlaneClient(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    WorkloadLifecycle lifecycle,
    OutputLog output,
    MigrationCoordinator migrations,
    Nodes.NodeDrain drain,
    Orchestration.Policies.PolicyRunner policies,
    Orchestration.EvaluationBroker broker) : IControlPlaneClient
{
    /// <summary>Finished workloads the snapshot carries (newest first) beside every unfinished one.</summary>
    public const int SnapshotFinishedWorkloads = 20;

    public async Task<ClusterSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var modules = await db.Modules.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellationToken);
        return new ClusterSnapshot(await db.NodeDtosAsync(cancellationToken), await db.PoolWorkloadDtosAsync(SnapshotFinishedWorkloads, cancellationToken), modules.Select(m => m.ToDto()).ToList(),
            await db.MigrationDtosAsync(null, 100, cancellationToken));
    }

    public async Task<WorkloadTablePage> QueryWorkloadsAsync(WorkloadFilter filter, WorkloadSort sort, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        var unknown = (filter.States ?? []).Where(s => !Enum.TryParse<Domain.Workloads.WorkloadState>(s, ignoreCase: true, out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new ControlPlaneException($"'{string.Join(", ", unknown)}' is not a workload state; use one of {string.Join(", ", Enum.GetNames<Domain.Workloads.WorkloadState>())}.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WorkloadTableAsync(filter, sort, descending, skip, take, cancellationToken);
    }

    public async Task<WorkloadDto?> GetWorkloadAsync(Guid workloadId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workloadId, cancellationToken);
        return workload is null ? null : await db.WorkloadDtoAsync(workload, cancellationToken);
    }

    public IAsyncEnumerable<ClusterChange> WatchAsync(CancellationToken cancellationToken) => events.SubscribeAsync(cancellationToken);

    public async Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken)
    {
        if (!OutputLog.TryParseStream(stream, out var which))
        {
            throw new ControlPlaneException($"'{stream}' is not an output stream; use stdout or stderr.");
        }
        var workload = await Refusals(() => WorkloadsApi.LoadAsync(workloadId, dbFactory, cancellationToken));
        var (data, end) = await output.ReadAsync(workloadId, which, offset, OutputLog.MaxReadBytes, cancellationToken);
        return new OutputDto(OutputLog.Name(which), offset, end, System.Text.Encoding.UTF8.GetString(data), WorkloadsApi.IsFinished(workload) && data.Length == 0);
    }

    public Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken)
    {
        var (validated, errors) = WorkloadRequestValidator.Validate(request);
        if (validated is null)
        {
            throw new ControlPlaneException(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        return Refusals(() => lifecycle.CreateAsync(validated, cancellationToken));
    }

    public Task StopAsync(Guid workloadId, CancellationToken cancellationToken) => Refusals(() => lifecycle.StopAsync(workloadId, cancellationToken));

    public Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken) =>
        Refusals(async () =>
        {
            await lifecycle.DeleteAsync(workloadId, cancellationToken);
            return true;
        });

    public Task<MigrationDto> MigrateAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken) =>
        Refusals(() => migrations.RequestAsync(workloadId, targetNodeId, null, Domain.Migrations.MigrationTrigger.Operator, cancellationToken));

    public async Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MigrationDtosAsync(workloadId, 200, cancellationToken);
    }

    public Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken) => Refusals(() => drain.CordonAsync(nodeId, cancellationToken));

    public Task<NodeDto> DrainAsync(Guid nodeId, CancellationToken cancellationToken) => Refusals(async () =>
    {
        await drain.DrainAsync(nodeId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.NodeDtoAsync(nodeId, cancellationToken))!;
    });

    public Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken) => Refusals(() => drain.UncordonAsync(nodeId, cancellationToken));

    public Task<WorkloadDto> PinAsync(Guid workloadId, bool pinned, CancellationToken cancellationToken) => Refusals(() => lifecycle.PinAsync(workloadId, pinned, cancellationToken));

    public Task<IReadOnlyList<PolicyDto>> GetPoliciesAsync(CancellationToken cancellationToken) => policies.ListAsync(cancellationToken);

    public Task<PolicyDto> SetPolicyPausedAsync(string name, bool paused, CancellationToken cancellationToken) => Refusals(() => policies.SetPausedAsync(name, paused, cancellationToken));

    public Task RunPolicyAsync(string name, CancellationToken cancellationToken) => Refusals(() => policies.RunNowAsync(name, cancellationToken));

    public Task<IReadOnlyList<EvaluationDto>> GetEvaluationsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EvaluationDto>>(broker.Recent.Select(r => r.ToDto()).ToList());

    private static async Task<T> Refusals<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (RefusalException ex)
        {
            throw new ControlPlaneException(ex.Message);
        }
    }
}
