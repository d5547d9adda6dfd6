using System.Collections.Concurrent;
using System.Security.Cryptography;
using ZstdSharp;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Turns captured pages into content-addressed zstd chunks in a store. Remembers which chunks the store already
/// holds, so successive checkpoints of one workload write only pages that changed (incremental checkpoints).
/// It also remembers each page's XXH128 fingerprint and SHA-256 name from the last checkpoint into the same store:
/// a page whose fingerprint is unchanged keeps its name without SHA-256 (10x slower), which is most of the pause
/// of a migration's final checkpoint after a pre-copy. A 128-bit collision between two versions of one page is not a
/// practical risk; a guest that crafted one would only corrupt its own state, and the target still verifies every
/// chunk it has not verified before against its SHA-256 name.
/// </summary>
internal sealed class CheckpointWriter
{
    internal const int CompressionLevel = 1;
    private const int InlinePages = 32;
    private static readonly ThreadLocal<Compressor> Compressors = new(() => new Compressor(CompressionLevel));
    private readonly ConcurrentDictionary<string, byte> knownChunks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, (UInt128 Fingerprint, string Hash)> pageNames = new();
    private IChunkStore? knownStore;
    private long knownEpoch;

    /// <summary>Chunks written by the last checkpoint (the rest were shared with earlier ones).</summary>
    public int LastNewChunks { get; private set; }

    /// <summary>Compressed bytes written by the last checkpoint.</summary>
    public long LastBytesWritten { get; private set; }

    /// <param name="uncompressed">
    /// Store new chunks as raw zstd frames without compressing them: for a checkpoint taken while the workload stays
    /// frozen (a migration's final one). The managed zstd compressor ran at 25-100 MB/s on the benchmark VM, and pages
    /// of numeric data shrink by a few percent at most; moving the page as it is costs less downtime than shrinking it.
    /// </param>
    public async Task<CheckpointManifest> WriteAsync(CapturedState state, IChunkStore store, CancellationToken cancellationToken, bool uncompressed = false)
    {
        if (!ReferenceEquals(store, knownStore))
        {
            knownChunks.Clear();
            pageNames.Clear();
            knownStore = store;
        }
        if (store.Epoch != knownEpoch)
        {
            // The store may have lost chunks: ask it again for every page (pages keep their names).
            knownChunks.Clear();
            knownEpoch = store.Epoch;
        }
        var hashes = new string[state.PageIndices.Length];
        var fingerprints = new UInt128[state.PageIndices.Length];
        var newChunks = 0;
        long written = 0;
        async ValueTask WritePage(int i, CancellationToken ct)
        {
            var hash = hashes[i] = Name(state, i, out fingerprints[i]);
            if (knownChunks.ContainsKey(hash) || await store.ContainsAsync(hash, ct))
            {
                knownChunks.TryAdd(hash, 0);
                return;
            }
            var compressed = uncompressed ? RawZstdFrame.Wrap(state.Page(i)) : Compressors.Value!.Wrap(state.Page(i)).ToArray();
            await store.PutAsync(hash, compressed, ct);
            knownChunks.TryAdd(hash, 0);
            Interlocked.Increment(ref newChunks);
            Interlocked.Add(ref written, compressed.Length);
        }
        if (hashes.Length <= InlinePages)
        {
            // A small memory (or a migration's final checkpoint of one) is written on the calling thread: handing 16
            // pages to parallel workers costs more in thread hops on a busy machine than hashing them.
            for (var i = 0; i < hashes.Length; i++)
            {
                await WritePage(i, cancellationToken);
            }
        }
        else
        {
            await Parallel.ForAsync(0, hashes.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, WritePage);
        }
        LastNewChunks = newChunks;
        LastBytesWritten = written;
        var pages = state.PageIndices.Select((index, i) => new CheckpointPage(index, hashes[i], PageFingerprint.Format(fingerprints[i]))).ToList();
        return state.BuildManifest(pages);
    }

    /// <summary>
    /// The page's chunk name: kept from the last checkpoint when its fingerprint is unchanged, else its SHA-256. The
    /// fingerprint also goes into the manifest, for restores from a file store to check the page against.
    /// </summary>
    private string Name(CapturedState state, int i, out UInt128 fingerprint)
    {
        fingerprint = PageFingerprint.Of(state.Page(i));
        var index = state.PageIndices[i];
        if (pageNames.TryGetValue(index, out var previous) && previous.Fingerprint == fingerprint)
        {
            return previous.Hash;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(state.Page(i)));
        pageNames[index] = (fingerprint, hash);
        return hash;
    }
}
