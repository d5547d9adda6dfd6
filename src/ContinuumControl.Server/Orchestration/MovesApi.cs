using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContinuumControl.Server.Orchestration;

/// <summary>
/// Asking for a move, and asking whether one would be accepted. Beside the evaluation that decides it rather than with
/// the migrations it starts, so Migrations depends on nothing here (Orchestration -> Migrations, never back).
/// </summary>
public static class MovesApi
{
    public static IEndpointRouteBuilder MapMovesApi(this IEndpointRouteBuilder app)
    {
        var workloads = app.MapGroup("/api/workloads/{id:guid}/migrations").WithTags("Migrations");
        workloads.MapPost("/", StartAsync).RequireAuthorization(AuthSchemes.WritePolicy)
            .WithSummary("Migrate a running workload to another node")
            .WithDescription("Body (optional): {\"targetNodeId\": \"...\", \"preCopy\": true}. The request is an OperatorMove evaluation: without a target the scheduler picks the best other node, with one it checks that node on the full node view. Answers 202 with the migration; follow it with GET /api/migrations/{id}/wait. 409 with the reason, each candidate node's rejection (`rejections`) and the evaluation's id (`evaluationId`) when it cannot start.");
        workloads.MapGet("/check", CheckAsync).RequireAuthorization(AuthSchemes.ReadPolicy)
            .WithSummary("Would a move be accepted now? (dry run)")
            .WithDescription("Runs the same OperatorMove evaluation as POST without committing anything: where the workload would go (targetNodeId optional), or why not with each candidate node's rejection. The cluster may change before a real request.");
        return app;
    }

    private static async Task<Accepted<MigrationDto>> StartAsync(Guid id, HttpRequest request, OperatorMoves moves, CancellationToken cancellationToken)
    {
        StartMigrationRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            body = await request.ReadFromJsonAsync<StartMigrationRequest>(cancellationToken);
        }
        var dto = await moves.RequestAsync(id, body?.TargetNodeId, body?.PreCopy, MigrationTrigger.Api, cancellationToken);
        return TypedResults.Accepted($"/api/migrations/{dto.Id}", dto);
    }

    private static async Task<Ok<MoveCheckDto>> CheckAsync(Guid id, Guid? targetNodeId, OperatorMoves moves, CancellationToken cancellationToken) =>
        TypedResults.Ok(await moves.CheckAsync(id, targetNodeId, cancellationToken));
}
