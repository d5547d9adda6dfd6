using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Nodes;

/// <summary>The resource pool's nodes.</summary>
public static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(AuthSchemes.ReadPolicy);
        api.MapGet("/", ListAsync).WithSummary("List nodes with capacity, allocation and live usage")
            .WithDescription("Optional filters: state (Ready, Draining, Down, ...) and class (Edge, Cloud). An unknown value answers 400 listing the valid ones.");
        api.MapGet("/{id:guid}", GetAsync).WithSummary("One node");
        var write = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(AuthSchemes.WritePolicy);
        write.MapPost("/{id:guid}/drain", async (Guid id, NodeDrain drain, CancellationToken ct) => TypedResults.Ok(await drain.DrainAsync(id, ct)))
            .WithSummary("Drain a node: no new workloads; running ones migrate away")
            .WithDescription("Answers with the migrations started and the workloads that could not move, each with the reason. Wait for each with GET /api/migrations/{id}/wait.");
        write.MapPost("/{id:guid}/cordon", async (Guid id, NodeDrain drain, CancellationToken ct) => TypedResults.Ok(await drain.CordonAsync(id, ct)))
            .WithSummary("Cordon a node: it takes no new workloads; what runs there stays");
        write.MapPost("/{id:guid}/uncordon", async (Guid id, NodeDrain drain, CancellationToken ct) => TypedResults.Ok(await drain.UncordonAsync(id, ct)))
            .WithSummary("Let a cordoned or drained node take new workloads again");
        return app;
    }

    // A plain filter, not paged: a pool has hundreds of nodes, not an unbounded history, and callers read them whole.
    private static async Task<Results<Ok<List<NodeDto>>, ValidationProblem>> ListAsync(
        string? state, string? @class, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Domain.Nodes.NodeState? stateFilter = null;
        if (state is not null)
        {
            if (EnumNames.TryParse<Domain.Nodes.NodeState>(state, out var parsed))
            {
                stateFilter = parsed;
            }
            else
            {
                errors["state"] = [$"'{state}' is not a node state; send one of {EnumNames.List<Domain.Nodes.NodeState>()}."];
            }
        }
        Domain.Nodes.NodeClass? classFilter = null;
        if (@class is not null)
        {
            if (EnumNames.TryParse<Domain.Nodes.NodeClass>(@class, out var parsed))
            {
                classFilter = parsed;
            }
            else
            {
                errors["class"] = [$"'{@class}' is not a node class; send one of {EnumNames.List<Domain.Nodes.NodeClass>()}."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Fix the listed query parameters and send the request again.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var nodes = await db.NodeDtosAsync(cancellationToken);
        return TypedResults.Ok(nodes
            .Where(n => stateFilter is null || n.State == stateFilter)
            .Where(n => classFilter is null || n.Class == classFilter)
            .ToList());
    }

    private static async Task<Ok<NodeDto>> GetAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await db.NodeDtoAsync(id, cancellationToken) ?? throw RefusalException.NotFound("Node", id));
    }
}
