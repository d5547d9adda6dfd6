using ContinuumControl.Domain.Workloads;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>Create, watch, stop and delete workloads.</summary>
public static class WorkloadsApi
{
    public static IEndpointRouteBuilder MapWorkloadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workloads").WithTags("Workloads");
        api.MapPost("/", CreateAsync).RequireAuthorization(AuthSchemes.WritePolicy)
            .WithSummary("Create a workload and place it on a node")
            .WithDescription("Returns 201 with the placed workload, 400 when the request is invalid, 409 with every node's rejection reason when no node fits.");
        api.MapGet("/", ListAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("List workloads, newest first, a page at a time")
            .WithDescription("Answers {items, continue}: at most limit (1-500, default 100) workloads, newest first. Pass continue with the same filters for the next page; it is null on the last page. Filters: state (comma-separated), node (id or name), name (exact), search (part of the name or start of the module hash), createdAfter, createdBefore (ISO 8601). A bad value answers 400 naming the parameter.");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("One workload");
        api.MapGet("/{id:guid}/wait", WaitAsync).RequireAuthorization(AuthSchemes.ReadPolicy)
            .WithSummary("Wait until the workload finishes")
            .WithDescription("Answers 200 with the finished workload, or 202 with its current state when timeoutSeconds (default 60, at most 600) passes first.");
        api.MapPost("/{id:guid}/stop", StopAsync).RequireAuthorization(AuthSchemes.WritePolicy).WithSummary("Stop a running workload");
        api.MapPut("/{id:guid}/pin", PinAsync).RequireAuthorization(AuthSchemes.WritePolicy)
            .WithSummary("Pin a workload to its node, or release it")
            .WithDescription("Body {\"pinned\": true|false}. No policy (Rebalance, Drain, Offload, EnergyLow) moves a pinned workload; an operator still can.");
        api.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(AuthSchemes.WritePolicy).WithSummary("Delete a workload and its output");
        api.MapOutputApi();
        return app;
    }

    private static async Task<Results<Created<WorkloadDto>, ValidationProblem>> CreateAsync(CreateWorkloadRequest? body, WorkloadLifecycle lifecycle, Configuration.ServerOptions server, CancellationToken cancellationToken)
    {
        var (request, errors) = WorkloadRequestValidator.Validate(body, server.OutputLimitMiB);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors, detail: "Fix the listed fields and send the request again.");
        }
        var dto = await lifecycle.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/workloads/{dto.Id}", dto);
    }

    private static async Task<Results<Ok<WorkloadList>, ValidationProblem>> ListAsync(
        [AsParameters] WorkloadListRequest query, System.Security.Claims.ClaimsPrincipal user, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (request, errors) = await query.ResolveAsync(db, cancellationToken);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors, detail: "Fix the listed query parameters and send the request again.");
        }
        var (items, next) = await db.WorkloadPageAsync(request.Filter, request.Limit, request.From, cancellationToken);
        return TypedResults.Ok(new WorkloadList(items.ForViewer(ScopeCheck.MaySeeSecrets(user)), next?.Encode(request.FilterKey)));
    }

    private static async Task<Ok<WorkloadDto>> GetAsync(Guid id, System.Security.Claims.ClaimsPrincipal user, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken) =>
        TypedResults.Ok((await dbFactory.WorkloadDtoAsync(id, cancellationToken)).ForViewer(user));

    private static async Task<Results<Ok<WorkloadDto>, Accepted<WorkloadDto>>> WaitAsync(
        Guid id, int? timeoutSeconds, System.Security.Claims.ClaimsPrincipal user, IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds ?? 60, 0, 600));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        // Subscribe before the first read so a finish between the two is not missed.
        await using var changes = events.SubscribeAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        var current = await dbFactory.WorkloadDtoAsync(id, cancellationToken);
        try
        {
            while (!current.State.IsFinished)
            {
                if (!await changes.MoveNextAsync())
                {
                    break;
                }
                if (changes.Current is { Kind: ClusterChangeKind.WorkloadUpserted, Workload: { } w } && w.Id == id)
                {
                    current = w;
                }
                else if (changes.Current is { Kind: ClusterChangeKind.WorkloadRemoved } removed && removed.RemovedId == id)
                {
                    throw RefusalException.NotFound("Workload", id);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        current = current.ForViewer(user);
        return current.State.IsFinished ? TypedResults.Ok(current) : TypedResults.Accepted($"/api/workloads/{id}", current);
    }

    private static async Task<Ok<WorkloadDto>> StopAsync(Guid id, WorkloadLifecycle lifecycle, CancellationToken cancellationToken) =>
        TypedResults.Ok(await lifecycle.StopAsync(id, cancellationToken));

    private static async Task<Ok<WorkloadDto>> PinAsync(Guid id, PinRequest? body, WorkloadLifecycle lifecycle, CancellationToken cancellationToken) =>
        TypedResults.Ok(await lifecycle.PinAsync(id, (body ?? throw RefusalException.Invalid("pinned", "Send {\"pinned\": true} or {\"pinned\": false}.")).Pinned, cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, WorkloadLifecycle lifecycle, CancellationToken cancellationToken)
    {
        await lifecycle.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

}
