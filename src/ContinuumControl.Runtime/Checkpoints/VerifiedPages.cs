using System.Collections.Concurrent;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Pages already decompressed and checked against their content hash, for a restore to use without checking them
/// again. A migration target fills it while the source still runs (from the pre-copy's chunks), so the restore during
/// the pause verifies only the few pages that changed since. Only <see cref="AddAsync"/> fills it, through the same
/// checks a restore makes: a page in here is as trustworthy as one the restore verified itself.
/// </summary>
public sealed class VerifiedPages
{
    private readonly ConcurrentDictionary<string, byte[]> _pages = new(StringComparer.Ordinal);

    public int Count => _pages.Count;

    /// <summary>Reads, decompresses and verifies the chunks not yet held; a corrupt or missing chunk is refused with the reason.</summary>
    public Task AddAsync(IEnumerable<string> hashes, IChunkStore store, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(hashes.Where(h => !_pages.ContainsKey(h)).Distinct().ToList(),
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (hash, ct) =>
            {
                var compressed = await store.GetAsync(hash, ct)
                    ?? throw new CheckpointRejectedException($"chunk {hash} is missing from the chunk store; transfer it before restoring");
                _pages[hash] = CheckpointLoader.Decompress(hash, compressed);
            });

    internal bool TryGet(string hash, out byte[] page) => _pages.TryGetValue(hash, out page!);
}
