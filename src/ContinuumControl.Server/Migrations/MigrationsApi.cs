using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Migrations;

/// <summary>Watch and wait for live migrations; for CI pipelines and the dashboard. Moves are asked for in <c>Orchestration.MovesApi</c>.</summary>
public static class MigrationsApi
{
    public static IEndpointRouteBuilder MapMigrationsApi(this IEndpointRouteBuilder app)
    {
        var workloads = app.MapGroup("/api/workloads/{id:guid}/migrations").WithTags("Migrations");
        workloads.MapGet("/", ListForWorkloadAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("A workload's migrations, newest first");

        var migrations = app.MapGroup("/api/migrations").WithTags("Migrations").RequireAuthorization(AuthSchemes.ReadPolicy);
        migrations.MapGet("/", ListAsync).WithSummary("Recent migrations in the cluster, newest first");
        migrations.MapGet("/{id:guid}", GetAsync).WithSummary("One migration with its phases and measurements");
        migrations.MapGet("/{id:guid}/wait", WaitAsync).WithSummary("Wait until the migration finishes")
            .WithDescription("200 with the finished migration (Completed, Aborted or Failed), or 202 with its current phase when timeoutSeconds (default 60, at most 600) passes first.");
        return app;
    }

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
