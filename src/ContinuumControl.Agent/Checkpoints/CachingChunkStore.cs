using System.Collections.Concurrent;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Checkpoints;

/// <summary>
/// A target's view of the chunk store: chunks it already has are read locally; only missing ones are fetched. Every
/// chunk it puts into the local file store is checked against its name first, as a file store requires (see
/// <see cref="FileChunkStore"/>): restores may read such a store checking fingerprints only.
/// </summary>
public sealed class CachingChunkStore(FileChunkStore local, ControlPlaneChunkStore remote) : IChunkStore
{
    private const int ParallelBatches = 2;

    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => local.ContainsAsync(hash, cancellationToken);

    public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default)
    {
        ChunkIntegrity.Check(hash, compressed.Span);
        return local.PutAsync(hash, compressed, cancellationToken);
    }

    public async ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) =>
        await local.GetAsync(hash, cancellationToken) ?? await FetchAsync(hash, cancellationToken);

    /// <summary>
    /// Fetches every listed chunk that is neither in <paramref name="staged"/> nor in the local cache, in batches, a few
    /// batches at a time, into <paramref name="staged"/> (memory); returns the chunks fetched, so the caller can store
    /// them locally with <see cref="PersistAsync"/> when time is not critical. With <paramref name="readLocal"/>, chunks
    /// found in the local cache are read into <paramref name="staged"/> as well.
    /// </summary>
    public async Task<List<(string Hash, byte[] Bytes)>> FetchMissingAsync(IEnumerable<string> hashes, ConcurrentDictionary<string, byte[]> staged, bool readLocal, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
        {
            if (staged.ContainsKey(hash))
            {
                continue;
            }
            if (await local.ContainsAsync(hash, cancellationToken))
            {
                if (readLocal && await local.GetAsync(hash, cancellationToken) is { } bytes)
                {
                    staged[hash] = bytes;
                }
                continue;
            }
            missing.Add(hash);
        }
        var fetched = new ConcurrentBag<(string, byte[])>();
        var batches = Batches(missing).ToList();
        if (batches.Count == 1)
        {
            // A migration's final delta is usually one batch: fetched from this thread, without a hop to a worker.
            foreach (var chunk in await remote.GetManyAsync(batches[0], cancellationToken))
            {
                staged[chunk.Hash] = chunk.Bytes;
                fetched.Add(chunk);
            }
            return [.. fetched];
        }
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            foreach (var chunk in await remote.GetManyAsync(batch, ct))
            {
                staged[chunk.Hash] = chunk.Bytes;
                fetched.Add(chunk);
            }
        });
        return [.. fetched];
    }

    /// <summary>
    /// Writes fetched chunks into the local cache (so a later restore of a similar checkpoint fetches less). Each is
    /// checked against its name first; the intact ones are kept, and a damaged one is then refused naming it.
    /// </summary>
    public async Task PersistAsync(IEnumerable<(string Hash, byte[] Bytes)> chunks, CancellationToken cancellationToken)
    {
        CheckpointRejectedException? damaged = null;
        foreach (var (hash, bytes) in chunks)
        {
            try
            {
                ChunkIntegrity.Check(hash, bytes);
            }
            catch (CheckpointRejectedException ex)
            {
                damaged ??= ex;
                continue;
            }
            await local.PutAsync(hash, bytes, cancellationToken);
        }
        if (damaged is not null)
        {
            throw new CheckpointRejectedException($"not kept in the local chunk cache: {damaged.Reason}");
        }
    }

    private static IEnumerable<List<string>> Batches(List<string> hashes)
    {
        // 32 chunks of at most ~64 KiB: ~2 MiB per answer; with two in flight the transfer overlaps the store's reads.
        const int size = 32;
        for (var i = 0; i < hashes.Count; i += size)
        {
            yield return hashes.GetRange(i, Math.Min(size, hashes.Count - i));
        }
    }

    private async Task<byte[]?> FetchAsync(string hash, CancellationToken cancellationToken)
    {
        var bytes = await remote.GetAsync(hash, cancellationToken);
        if (bytes is not null)
        {
            await PersistAsync([(hash, bytes)], cancellationToken);
        }
        return bytes;
    }
}

/// <summary>
/// The chunks of one migration held in memory on the target (prefetched during pre-copy, fetched after the pause), in
/// front of the local cache: the restore reads them without touching the disk.
/// </summary>
public sealed class StagedChunkStore(ConcurrentDictionary<string, byte[]> staged, IChunkStore fallback) : IChunkStore
{
    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) =>
        staged.ContainsKey(hash) ? ValueTask.FromResult(true) : fallback.ContainsAsync(hash, cancellationToken);

    public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default) =>
        fallback.PutAsync(hash, compressed, cancellationToken);

    public ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) =>
        staged.TryGetValue(hash, out var bytes) ? ValueTask.FromResult<byte[]?>(bytes) : fallback.GetAsync(hash, cancellationToken);
}
