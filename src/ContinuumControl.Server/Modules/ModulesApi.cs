using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Persistence;
using ContinuumControl.Persistence.Modules;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Modules;

/// <summary>Upload and list modules; agents download them by hash.</summary>
public static class ModulesApi
{
    public static IEndpointRouteBuilder MapModulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/modules").WithTags("Modules");
        api.MapPost("/", UploadAsync).RequireAuthorization(AuthSchemes.WritePolicy).RequireRateLimiting(RateLimitSetup.UploadPolicy).DisableAntiforgery()
            .WithSummary("Upload a .wasm module")
            .WithDescription("Body: the raw module with Content-Type application/wasm (name from ?name=), or multipart/form-data with a 'file' field. Returns 201 with the module's SHA-256, or 200 if it was already uploaded.");
        api.MapGet("/", ListAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("List modules");
        api.MapGet("/{hash}", GetAsync).RequireAuthorization(AuthSchemes.ReadPolicy).WithSummary("One module");
        app.MapGet(Routes.AgentModule, DownloadAsync).RequireAuthorization(AuthSchemes.NodePolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Created<ModuleDto>, Ok<ModuleDto>>> UploadAsync(HttpRequest request, string? name, ModuleAdmission admission, ServerOptions options, CancellationToken cancellationToken)
    {
        var (fileName, bytes) = await ReadUploadAsync(request, name, options.MaxModuleBytes, cancellationToken);
        var (module, created) = await admission.AdmitAsync(fileName, bytes, cancellationToken);
        return created ? TypedResults.Created($"/api/modules/{module.Hash}", module) : TypedResults.Ok(module);
    }

    private static async Task<(string Name, byte[] Bytes)> ReadUploadAsync(HttpRequest request, string? name, long limit, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null)
                ?? throw RefusalException.Invalid("file", "The form has no file; send the module in a field named 'file'.");
            EnsureWithin(file.Length, limit);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            return (ModuleAdmission.CleanName(name ?? file.FileName), buffer.ToArray());
        }
        if (request.ContentLength is { } length)
        {
            EnsureWithin(length, limit);
        }
        var bytes = await ReadLimitedAsync(request.Body, limit, cancellationToken);
        if (bytes.Length == 0)
        {
            throw RefusalException.Invalid("body", "The body is empty; send the .wasm bytes with Content-Type application/wasm, or a multipart form with a 'file' field.");
        }
        return (ModuleAdmission.CleanName(name), bytes);
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            EnsureWithin(buffer.Length, limit);
        }
        return buffer.ToArray();
    }

    private static void EnsureWithin(long length, long limit)
    {
        if (length > limit)
        {
            throw new RefusalException(StatusCodes.Status413PayloadTooLarge, "Module too large",
                $"The upload is larger than the limit of {limit / (1024 * 1024)} MiB (Server:MaxModuleBytes = {limit}); shrink the module (wasm-opt -Oz, strip debug info) or raise the limit.");
        }
    }

    private static async Task<Ok<List<ModuleDto>>> ListAsync(IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var modules = await db.Modules.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(modules.Select(m => m.ToDto()).ToList());
    }

    private static async Task<Results<Ok<ModuleDto>, ProblemHttpResult>> GetAsync(string hash, IDbContextFactory<ControlPlaneDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var lowered = hash.ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var module = await db.Modules.AsNoTracking().FirstOrDefaultAsync(m => m.Hash == lowered, cancellationToken);
        return module is null
            ? TypedResults.Problem(statusCode: 404, title: "Module not found", detail: $"No module has hash {hash}; list them with GET /api/modules.")
            : TypedResults.Ok(module.ToDto());
    }

    private static async Task<IResult> DownloadAsync(string hash, HttpContext context, IModuleStore store, Agents.NodeFetchGrants grants, CancellationToken cancellationToken)
    {
        var valid = hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower);
        if (valid && !await grants.MayFetchModuleAsync(NodeClaims.NodeOf(context.User)!.Value, hash, cancellationToken))
        {
            return Agents.NodeFetchRefusal.Module(context.User, hash);
        }
        var stream = valid ? store.OpenRead(hash) : null;
        return stream is null
            ? TypedResults.Problem(statusCode: 404, title: "Module not found", detail: $"No module has hash {hash}.")
            : TypedResults.Stream(stream, "application/wasm");
    }
}
