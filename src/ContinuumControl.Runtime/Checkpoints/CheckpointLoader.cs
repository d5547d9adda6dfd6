using System.Collections.Concurrent;
using System.Security.Cryptography;
using ZstdSharp;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Fetches and verifies everything a restore needs before anything runs: the manifest's internal consistency, the
/// module's hash, and every chunk (present, decompressible, exactly one page, content hash equal to its name).
/// </summary>
internal static class CheckpointLoader
{
    // Creating a zstd context per chunk cost more than decompressing a page; each worker thread keeps one.
    private static readonly ThreadLocal<Decompressor> Decompressors = new(() => new Decompressor());

    /// <param name="verified">Pages checked before (a migration target's prefetch): used as they are; the rest is read and checked now.</param>
    /// <param name="only">The chunks to read (a staged restore needs only those of changed pages); null reads all of the manifest's.</param>
    public static async Task<IReadOnlyDictionary<string, byte[]>> LoadAsync(CheckpointManifest manifest, string moduleHash, IChunkStore store, CancellationToken cancellationToken, VerifiedPages? verified = null, IEnumerable<string>? only = null)
    {
        if (!string.Equals(manifest.ModuleHash, moduleHash, StringComparison.Ordinal))
        {
            throw new CheckpointRejectedException($"the checkpoint was taken from module {manifest.ModuleHash}, but module {moduleHash} was supplied; restore it with the same instrumented module");
        }
        CheckStructure(manifest);
        var chunks = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var toCheck = new List<string>();
        foreach (var hash in only ?? manifest.ChunkHashes())
        {
            if (verified is not null && verified.TryGet(hash, out var page))
            {
                chunks[hash] = page;
            }
            else
            {
                toCheck.Add(hash);
            }
        }
        if (toCheck.Count <= 8)
        {
            // A final delta of a few pages: checked inline, without the thread hops of a parallel loop.
            foreach (var hash in toCheck)
            {
                chunks[hash] = await LoadOneAsync(manifest, store, hash, cancellationToken);
            }
            return chunks;
        }
        await Parallel.ForEachAsync(toCheck, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (hash, ct) =>
        {
            chunks[hash] = await LoadOneAsync(manifest, store, hash, ct);
        });
        return chunks;
    }

    private static async Task<byte[]> LoadOneAsync(CheckpointManifest manifest, IChunkStore store, string hash, CancellationToken cancellationToken)
    {
        var compressed = await store.GetAsync(hash, cancellationToken)
            ?? throw new CheckpointRejectedException($"chunk {hash} of checkpoint {manifest.WorkloadName}#{manifest.Sequence} is missing from the chunk store; transfer it before restoring");
        return Decompress(hash, compressed);
    }

    /// <summary>One page exactly, whose content hashes to its name; anything else is refused with the reason.</summary>
    internal static byte[] Decompress(string hash, byte[] compressed)
    {
        // One page exactly: a frame that decompresses to more does not fit, one that yields less is caught below.
        var page = GC.AllocateUninitializedArray<byte>(CheckpointManifest.PageSize);
        int length;
        try
        {
            if (!Decompressors.Value!.TryUnwrap(compressed, page, out length))
            {
                throw new CheckpointRejectedException($"chunk {hash} is corrupt: it decompresses to more than one {CheckpointManifest.PageSize}-byte page");
            }
        }
        catch (Exception ex) when (ex is ZstdException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: it does not decompress ({ex.Message}); fetch the checkpoint again");
        }
        if (length != CheckpointManifest.PageSize)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: it holds {length} bytes instead of one {CheckpointManifest.PageSize}-byte page");
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(page));
        if (actual != hash)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: its content hashes to {actual}; fetch the checkpoint again");
        }
        return page;
    }

    private static void CheckStructure(CheckpointManifest m)
    {
        if (m.Pages.Any(p => p.Index < 0 || p.Index >= m.MemoryPages) || m.Pages.Select(p => p.Index).Distinct().Count() != m.Pages.Count)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is inconsistent: it lists pages outside its {m.MemoryPages}-page memory or a page twice");
        }
        if (m.Asyncify.BufferAddress < 0 || m.Asyncify.BufferAddress + m.Asyncify.BufferSize > m.MemoryPages * CheckpointManifest.PageSize)
        {
            throw new CheckpointRejectedException("the checkpoint manifest is inconsistent: its Asyncify buffer lies outside linear memory");
        }
    }
}
