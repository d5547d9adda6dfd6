using ContinuumControl.Domain.Workloads;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.ServiceClient;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Security;
using ContinuumControl.Server.Workloads;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Hosting;

/// <summary>
/// The dashboard's view of the control plane, in process: same services as the REST API, and the same scopes. Every call
/// checks the signed-in token's scopes here, on the server, whatever the page showed: reads need read, changes need
/// write and a token that still exists; environment values reach only tokens with write or admin.
/// </summary>
public sealed class ControlPlaneClient(
    AuthenticationStateProvider authentication,
    TokenLookup tokens,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    WorkloadLifecycle lifecycle,
    OutputLog output,
    Orchestration.OperatorMoves moves,
    Nodes.NodeDrain drain,
    Orchestration.Policies.PolicyRunner policies,
    Orchestration.EvaluationBroker broker) : IControlPlaneClient
{
    /// <summary>Finished workloads the snapshot carries (newest first) beside every unfinished one.</summary>
    public const int SnapshotFinishedWorkloads = 20;

    public async Task<DashboardSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var secrets = await ReadAsync("see the resource pool");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var modules = await db.Modules.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellationToken);
        return new DashboardSnapshot(await db.NodeDtosAsync(cancellationToken), (await db.PoolWorkloadDtosAsync(SnapshotFinishedWorkloads, cancellationToken)).ForViewer(secrets), modules.Select(m => m.ToDto()).ToList(),
            await db.MigrationDtosAsync(null, 100, cancellationToken));
    }

    public async Task<WorkloadTablePage> QueryWorkloadsAsync(WorkloadFilter filter, WorkloadSort sort, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        var secrets = await ReadAsync("list workloads");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await db.WorkloadTableAsync(filter, sort, descending, skip, take, cancellationToken);
        return page with { Items = page.Items.ForViewer(secrets) };
    }

    public async Task<WorkloadDto?> GetWorkloadAsync(Guid workloadId, CancellationToken cancellationToken)
    {
        var secrets = await ReadAsync("see a workload");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workload = await db.Workloads.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workloadId, cancellationToken);
        return workload is null ? null : (await db.WorkloadDtoAsync(workload, cancellationToken)).ForViewer(secrets);
    }

    public async IAsyncEnumerable<ClusterChange> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed on the first MoveNextAsync, before its first wait, as the interface promises; checked right after.
        await using var feed = events.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var secrets = await ReadAsync("follow live changes");
        while (await feed.MoveNextAsync())
        {
            yield return feed.Current.ForViewer(secrets);
        }
    }

    public async Task<OutputDto> GetOutputAsync(Guid workloadId, string stream, long offset, CancellationToken cancellationToken)
    {
        await ReadAsync("read output");
        if (!OutputLog.TryParseStream(stream, out var which))
        {
            throw new ControlPlaneException($"'{stream}' is not an output stream; use stdout or stderr.");
        }
        var workload = await Refusals(() => dbFactory.WorkloadDtoAsync(workloadId, cancellationToken));
        var (data, end) = await output.ReadAsync(workloadId, which, offset, OutputLog.MaxReadBytes, cancellationToken);
        return new OutputDto(OutputLog.Name(which), offset, end, System.Text.Encoding.UTF8.GetString(data), workload.State.IsFinished && data.Length == 0);
    }

    public async Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request, CancellationToken cancellationToken)
    {
        await ChangeAsync("deploy a workload", cancellationToken);
        var (validated, errors) = WorkloadRequestValidator.Validate(request);
        if (validated is null)
        {
            throw new ControlPlaneException(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        return await Refusals(() => lifecycle.CreateAsync(validated, cancellationToken));
    }

    public Task StopAsync(Guid workloadId, CancellationToken cancellationToken) =>
        Change("stop a workload", () => lifecycle.StopAsync(workloadId, cancellationToken), cancellationToken);

    public Task DeleteAsync(Guid workloadId, CancellationToken cancellationToken) =>
        Change("delete a workload", async () =>
        {
            await lifecycle.DeleteAsync(workloadId, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<MigrationDto> MigrateAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken) =>
        Change("migrate a workload", () => moves.RequestAsync(workloadId, targetNodeId, null, Domain.Migrations.MigrationTrigger.Operator, cancellationToken), cancellationToken);

    public async Task<MoveCheckDto> CheckMoveAsync(Guid workloadId, Guid targetNodeId, CancellationToken cancellationToken)
    {
        await ReadAsync("check a move");
        return await Refusals(() => moves.CheckAsync(workloadId, targetNodeId, cancellationToken));
    }

    public async Task<IReadOnlyList<MigrationDto>> GetMigrationsAsync(Guid? workloadId, CancellationToken cancellationToken)
    {
        await ReadAsync("see migrations");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MigrationDtosAsync(workloadId, 200, cancellationToken);
    }

    public Task<NodeDto> CordonAsync(Guid nodeId, CancellationToken cancellationToken) =>
        Change("cordon a node", () => drain.CordonAsync(nodeId, cancellationToken), cancellationToken);

    public Task<NodeDto> DrainAsync(Guid nodeId, CancellationToken cancellationToken) => Change("drain a node", async () =>
    {
        await drain.DrainAsync(nodeId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.NodeDtoAsync(nodeId, cancellationToken))!;
    }, cancellationToken);

    public Task<NodeDto> UncordonAsync(Guid nodeId, CancellationToken cancellationToken) =>
        Change("uncordon a node", () => drain.UncordonAsync(nodeId, cancellationToken), cancellationToken);

    public Task<WorkloadDto> PinAsync(Guid workloadId, bool pinned, CancellationToken cancellationToken) =>
        Change(pinned ? "pin a workload" : "unpin a workload", () => lifecycle.PinAsync(workloadId, pinned, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<PolicyDto>> GetPoliciesAsync(CancellationToken cancellationToken)
    {
        await ReadAsync("see policies");
        return await policies.ListAsync(cancellationToken);
    }

    public Task<PolicyDto> SetPolicyPausedAsync(string name, bool paused, CancellationToken cancellationToken) =>
        Change(paused ? "pause a policy" : "resume a policy", () => policies.SetPausedAsync(name, paused, cancellationToken), cancellationToken);

    public Task RunPolicyAsync(string name, CancellationToken cancellationToken) =>
        Change("run a policy", () => policies.RunNowAsync(name, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<EvaluationDto>> GetEvaluationsAsync(CancellationToken cancellationToken)
    {
        await ReadAsync("see evaluations");
        return broker.Recent.Select(r => r.ToDto()).ToList();
    }

    /// <summary>Refuses unless the token has the read scope; answers whether it may see environment values.</summary>
    private async Task<bool> ReadAsync(string action)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        Require(user, Scopes.Read, action);
        return ScopeCheck.MaySeeSecrets(user);
    }

    /// <summary>Refuses unless the token has the write scope and has not been revoked since the page opened.</summary>
    private async Task ChangeAsync(string action, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        Require(user, Scopes.Write, action);
        if (ScopeCheck.TokenId(user) is not { } id || await tokens.FindAsync(id, cancellationToken) is null)
        {
            throw new ControlPlaneException($"Cannot {action}: the token you signed in with has been revoked. Sign in again with a valid token.");
        }
    }

    private async Task<T> Change<T>(string action, Func<Task<T>> run, CancellationToken cancellationToken)
    {
        await ChangeAsync(action, cancellationToken);
        return await Refusals(run);
    }

    private static void Require(System.Security.Claims.ClaimsPrincipal user, string scope, string action)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new ControlPlaneException($"Cannot {action}: you are not signed in. Sign in with an API token.");
        }
        if (!ScopeCheck.Has(user, scope))
        {
            throw new ControlPlaneException(
                $"Cannot {action}: your token '{user.Identity.Name}' lacks the {scope} scope. Sign in with a token that has it (create one with POST /api/tokens, e.g. scopes [\"read\", \"write\"]).");
        }
    }

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
