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
        api.MapGet("/", ListAsync).WithSummary("List nodes with capacity, allocation and live usage");
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

    private static async Task<Ok<List<NodeDto>>> ListAsync(IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await db.NodeDtosAsync(cancellationToken));
    }

    private static async Task<Ok<NodeDto>> GetAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await db.NodeDtoAsync(id, cancellationToken) ?? throw RefusalException.NotFound("Node", id));
    }
}
