using ContinuumControl.Domain.Security;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Security;

/// <summary>API tokens with scopes, e.g. a read+write token for a CI pipeline. The plain token is shown once, at creation.</summary>
public static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization(AuthSchemes.AdminPolicy);
        api.MapPost("/", CreateAsync).WithSummary("Create an API token (admin)");
        api.MapGet("/", ListAsync).WithSummary("List API tokens (admin)");
        api.MapDelete("/{id:guid}", RevokeAsync).WithSummary("Revoke an API token (admin)");
        return app;
    }

    private static async Task<Results<Created<CreatedToken>, ValidationProblem>> CreateAsync(
        CreateTokenRequest? body, IDbContextFactory<ControlPlaneDbContext> dbFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 200)
        {
            errors["name"] = ["Give the token a name of 1-200 characters, e.g. the pipeline that uses it."];
        }
        var scopes = body?.Scopes ?? [Scopes.Read, Scopes.Write];
        var unknown = scopes.Where(s => !Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0 || scopes.Count == 0)
        {
            errors["scopes"] = [$"Scopes must be a non-empty subset of {string.Join(", ", Scopes.All)}; unknown: {string.Join(", ", unknown)}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var token = TokenHasher.NewToken("cc_");
        var row = new ApiToken { Id = Guid.NewGuid(), Name = body!.Name!, TokenHash = TokenHasher.Hash(token), Scopes = [.. scopes.Distinct()], CreatedAt = time.GetUtcNow() };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tokens/{row.Id}", new CreatedToken(row.Id, row.Name, row.Scopes, token));
    }

    private static async Task<Ok<List<TokenInfo>>> ListAsync(IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(t => new TokenInfo(t.Id, t.Name, t.Scopes, t.CreatedAt)).ToList());
    }

    private static async Task<NoContent> RevokeAsync(Guid id, IDbContextFactory<ControlPlaneDbContext> dbFactory, ApiTokenCache cache, TokenLookup sessions, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.ApiTokens.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw RefusalException.NotFound("Token", id);
        }
        cache.Invalidate();
        sessions.MarkRevoked(id);
        return TypedResults.NoContent();
    }
}

/// <summary>Request to create a token; scopes default to read and write.</summary>
public sealed record CreateTokenRequest(string? Name, IReadOnlyList<string>? Scopes);

/// <summary>A new token; <paramref name="Token"/> is shown only in this answer.</summary>
public sealed record CreatedToken(Guid Id, string Name, IReadOnlyList<string> Scopes, string Token);

/// <summary>A token without its secret.</summary>
public sealed record TokenInfo(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);
