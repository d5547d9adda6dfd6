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

    public static async Task<IReadOnlyDictionary<string, byte[]>> LoadAsync(CheckpointManifest manifest, string moduleHash, IChunkStore store, CancellationToken cancellationToken)
    {
        if (!string.Equals(manifest.ModuleHash, moduleHash, StringComparison.Ordinal))
        {
            throw new CheckpointRejectedException($"the checkpoint was taken from module {manifest.ModuleHash}, but module {moduleHash} was supplied; restore it with the same instrumented module");
        }
        CheckStructure(manifest);
        var chunks = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(manifest.ChunkHashes(), new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (hash, ct) =>
        {
            var compressed = await store.GetAsync(hash, ct)
                ?? throw new CheckpointRejectedException($"chunk {hash} of checkpoint {manifest.WorkloadName}#{manifest.Sequence} is missing from the chunk store; transfer it before restoring");
            chunks[hash] = Decompress(hash, compressed);
        });
        return chunks;
    }

    private static byte[] Decompress(string hash, byte[] compressed)
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
