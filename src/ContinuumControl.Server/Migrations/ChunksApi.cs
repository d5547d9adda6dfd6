using ContinuumControl.Contracts;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Security;

namespace ContinuumControl.Server.Migrations;

/// <summary>The control plane's checkpoint chunk store, for agents: sources upload, targets fetch what they lack.</summary>
public static class ChunksApi
{
    private const int MaxChunkBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapChunksApi(this IEndpointRouteBuilder app)
    {
        app.MapPut(Routes.AgentChunk, PutAsync).RequireAuthorization(AuthSchemes.AgentPolicy).ExcludeFromDescription();
        app.MapGet(Routes.AgentChunk, GetAsync).RequireAuthorization(AuthSchemes.AgentPolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PutAsync(string hash, HttpRequest request, IChunkStore store, CancellationToken cancellationToken)
    {
        EnsureHash(hash);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length is 0 or > MaxChunkBytes)
        {
            throw RefusalException.Invalid("body", $"A chunk is 1 byte to {MaxChunkBytes} bytes of zstd-compressed page data; got {buffer.Length}.");
        }
        await store.PutAsync(hash, buffer.ToArray(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetAsync(string hash, IChunkStore store, CancellationToken cancellationToken)
    {
        EnsureHash(hash);
        var bytes = await store.GetAsync(hash, cancellationToken);
        return bytes is null
            ? TypedResults.Problem(statusCode: 404, title: "Chunk not found", detail: $"No chunk has hash {hash}.")
            : TypedResults.Bytes(bytes, "application/zstd");
    }

    private static void EnsureHash(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw RefusalException.Invalid("hash", "A chunk hash is 64 lower-case hex digits (SHA-256 of the page).");
        }
    }
}
