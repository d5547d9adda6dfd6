using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Orchestration;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Migrations;

/// <summary>Start, watch and wait for live migrations; for CI pipelines and the dashboard.</summary>
public static class MigrationsApi
{
    public static IEndpointRouteBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        var workloads = app.MapGroup("/api/workloads/{id:guid}/migrations").WithTags("Migrations");
        workloads.MapPost("/", StartAsync).RequireAuthorization(AuthSchemes.WritePolicy)
            .WithSummary("Migrate a running workload to another node")
            .WithDescription("Body (optional): {\"targetNodeId\": \"...\", \"preCopy\": true}. The request is an OperatorMove evaluation: without a target the scheduler picks the best other node, with one it checks that node on the full node view. Answers 202 with the migration; follow it with GET /api/migrations/{id}/wait. 409 with the reason, each candidate node's rejection (`rejections`) and the evaluation's id (`evaluationId`) when it cannot start.");
        workloads.MapGet("/check", CheckAsync).RequireAuthorization(AuthSchemes.ReadPolicy)
            .WithSummary("Would a move be accepted now? (dry run)")
            .WithDescription("Runs the same OperatorMove evaluation as POST without committing anything: where the workload would go (targetNodeId optional), or why not with each candidate node's rejection. The cluster may change before a real request.");
        workloads.MapGet("/", ListForWorkloadAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("A workload's migrations, newest first");

        var migrations = app.MapGroup("/api/migrations").WithTags("Migrations").RequireAuthorization(AuthSchemes.ReadPolicy);
        migrations.MapGet("/", ListAsync).WithSummary("Recent migrations in the cluster, newest first");
        migrations.MapGet("/{id:guid}", GetAsync).WithSummary("One migration with its phases and measurements");
        migrations.MapGet("/{id:guid}/wait", WaitAsync).WithSummary("Wait until the migration finishes")
            .WithDescription("200 with the finished migration (Completed, Aborted or Failed), or 202 with its current phase when timeoutSeconds (default 60, at most 600) passes first.");
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

    private static async Task<Ok<List<MigrationDto>>> ListForWorkloadAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Workloads.AnyAsync(w => w.Id == id, cancellationToken))
        {
            throw RefusalException.NotFound("Workload", id);
        }
        return TypedResults.Ok(await db.MigrationDtosAsync(id, 500, cancellationToken));
    }

    private static async Task<Ok<List<MigrationDto>>> ListAsync(int? limit, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await db.MigrationDtosAsync(null, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken));
    }

    private static async Task<Ok<MigrationDto>> GetAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(id, dbFactory, cancellationToken));

    private static async Task<Results<Ok<MigrationDto>, Accepted<MigrationDto>>> WaitAsync(
        Guid id, int? timeoutSeconds, IDbContextFactory<ControlPlaneDbContext> dbFactory, ClusterEvents events, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds ?? 60, 0, 600)));
        await using var changes = events.SubscribeAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        var current = await LoadAsync(id, dbFactory, cancellationToken);
        try
        {
            while (!current.IsFinished && await changes.MoveNextAsync())
            {
                if (changes.Current.Migration is { } m && m.Id == id)
                {
                    current = m;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        return current.IsFinished ? TypedResults.Ok(current) : TypedResults.Accepted($"/api/migrations/{id}", current);
    }

    private static async Task<MigrationDto> LoadAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MigrationDtoAsync(id, cancellationToken) ?? throw RefusalException.NotFound("Migration", id);
    }
}
