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
