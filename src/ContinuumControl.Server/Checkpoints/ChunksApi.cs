using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Api;
using ContinuumControl.Server.Security;

namespace ContinuumControl.Server.Checkpoints;

/// <summary>The control plane's checkpoint chunk store, for agents: sources upload, targets fetch what they lack (only chunks of workloads placed on or migrating to them, see NodeFetchGrants).</summary>
public static class ChunksApi
{
    private const int MaxChunkBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapChunksApi(this IEndpointRouteBuilder app)
    {
        app.MapPut(Routes.AgentChunk, PutAsync).RequireAuthorization(AuthSchemes.NodePolicy).ExcludeFromDescription();
        app.MapGet(Routes.AgentChunk, GetAsync).RequireAuthorization(AuthSchemes.NodePolicy).ExcludeFromDescription();
        // Batches: one request for many chunks, so a migration's critical path is not one round trip per 64 KiB page.
        app.MapPost(ChunkBatch.UploadRoute, PutBatchAsync).RequireAuthorization(AuthSchemes.NodePolicy).ExcludeFromDescription();
        app.MapPost(ChunkBatch.FetchRoute, GetBatchAsync).RequireAuthorization(AuthSchemes.NodePolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PutBatchAsync(HttpRequest request, IChunkStore store, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        List<(string Hash, byte[] Bytes)> chunks;
        try
        {
            chunks = ChunkBatch.Read(body);
        }
        catch (FormatException ex)
        {
            throw RefusalException.Invalid("body", $"Not a chunk batch: {ex.Message}.");
        }
        if (chunks.Count == 0)
        {
            throw RefusalException.Invalid("body", "A chunk batch holds at least one chunk.");
        }
        // All or nothing: one bad chunk refuses the batch before any of it is stored.
        foreach (var (hash, bytes) in chunks)
        {
            EnsureIntact(hash, bytes);
        }
        // The store keeps them in memory and writes them to disk in the background (WriteBehindChunkStore).
        foreach (var (hash, bytes) in chunks)
        {
            await store.PutAsync(hash, bytes, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetBatchAsync(HttpRequest request, IChunkStore store, Agents.NodeFetchGrants grants, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        List<string> names;
        try
        {
            names = ChunkBatch.ReadNames(body);
        }
        catch (FormatException ex)
        {
            throw RefusalException.Invalid("body", $"Not a chunk fetch request: {ex.Message}.");
        }
        if (await grants.FirstForbiddenChunkAsync(NodeClaims.NodeOf(request.HttpContext.User)!.Value, names, cancellationToken) is { } forbidden)
        {
            return Agents.NodeFetchRefusal.Chunk(request.HttpContext.User, forbidden);
        }
        var found = new (string Hash, byte[] Bytes)[names.Count];
        string? missing = null;
        await Parallel.ForAsync(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var bytes = await store.GetAsync(names[i], ct);
            if (bytes is null)
            {
                missing = names[i];
                return;
            }
            found[i] = (names[i], bytes);
        });
        return missing is not null
            ? TypedResults.Problem(statusCode: 404, title: "Chunk not found", detail: $"No chunk has hash {missing}.")
            : TypedResults.Bytes(ChunkBatch.Write(found), ChunkBatch.ContentType);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 0);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
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
        var bytes = buffer.ToArray();
        EnsureIntact(hash, bytes);
        await store.PutAsync(hash, bytes, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetAsync(string hash, HttpContext context, IChunkStore store, Agents.NodeFetchGrants grants, CancellationToken cancellationToken)
    {
        EnsureHash(hash);
        if (await grants.FirstForbiddenChunkAsync(NodeClaims.NodeOf(context.User)!.Value, [hash], cancellationToken) is not null)
        {
            return Agents.NodeFetchRefusal.Chunk(context.User, hash);
        }
        var bytes = await store.GetAsync(hash, cancellationToken);
        return bytes is null
            ? TypedResults.Problem(statusCode: 404, title: "Chunk not found", detail: $"No chunk has hash {hash}.")
            : TypedResults.Bytes(bytes, "application/zstd");
    }

    /// <summary>
    /// Chunks are shared by name between workloads and the first copy stored wins, so one stored under a name its
    /// content does not hash to would break every checkpoint that names it. Checked here, where chunks enter the
    /// store; restores from a file store then only check fingerprints (see FileChunkStore).
    /// </summary>
    private static void EnsureIntact(string hash, byte[] bytes)
    {
        try
        {
            ChunkIntegrity.Check(hash, bytes);
        }
        catch (CheckpointRejectedException ex)
        {
            throw RefusalException.Invalid("body", $"Not stored: {ex.Reason}. A chunk is the zstd-compressed page under the SHA-256 of the uncompressed page.");
        }
    }

    private static void EnsureHash(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw RefusalException.Invalid("hash", "A chunk hash is 64 lower-case hex digits (SHA-256 of the page).");
        }
    }
}
