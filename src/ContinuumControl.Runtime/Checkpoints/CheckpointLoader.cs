using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using ZstdSharp;

namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Verifies what a restore reads before anything runs: the manifest's internal consistency, the module's hash, and
/// every chunk (present, decompressible, exactly one page, content equal to what the manifest says: its SHA-256 name,
/// or for a chunk read from a <see cref="FileChunkStore"/> the page's fingerprint, see <see cref="PageCheck"/>). Pages are decompressed
/// straight into the new instance's linear memory and hashed there: no staging copy, and a chunk that fails a check
/// fails the whole restore, whose instance is then thrown away before any guest code ran.
/// </summary>
internal static class CheckpointLoader
{
    private const int PageSize = CheckpointManifest.PageSize;

    /// <summary>What a restore's refusal of a damaged chunk advises (not said where chunks are uploaded).</summary>
    internal const string FetchAgain = "; fetch the checkpoint again";

    /// <summary>A compressed page is never near this large; a bigger chunk file is corrupt (and not read into memory).</summary>
    private const long ChunkFileLimit = 2 * 1024 * 1024;

    // Creating a zstd context cost more than decompressing a page, so contexts are reused. Pooled rather than kept per
    // thread: a restore's workers are whichever pool threads are free, and a context made earlier (by the warm-up)
    // should serve any of them (a thread's first context cost 1.3 ms of a first 1 MiB restore).
    private static readonly ConcurrentBag<Decompressor> Decompressors = [];

    /// <summary>Refuses a manifest of another module, or one whose pages or call-stack buffer lie outside its memory.</summary>
    public static void Check(CheckpointManifest manifest, string moduleHash)
    {
        if (!string.Equals(manifest.ModuleHash, moduleHash, StringComparison.Ordinal))
        {
            throw new CheckpointRejectedException($"the checkpoint was taken from module {manifest.ModuleHash}, but module {moduleHash} was supplied; restore it with the same instrumented module");
        }
        if (manifest.Pages.Any(p => p.Index < 0 || p.Index >= manifest.MemoryPages) || manifest.Pages.Select(p => p.Index).Distinct().Count() != manifest.Pages.Count)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is inconsistent: it lists pages outside its {manifest.MemoryPages}-page memory or a page twice");
        }
        if (manifest.Pages.FirstOrDefault(p => p.Fingerprint is { } text && !PageFingerprint.TryParse(text, out _)) is { } bad)
        {
            throw new CheckpointRejectedException(
                $"the checkpoint manifest is inconsistent: page {bad.Index} has fingerprint '{bad.Fingerprint}', not {PageFingerprint.HexLength} lower-case hex digits");
        }
        var disagreeing = manifest.Pages.Where(p => p.Fingerprint is not null).GroupBy(p => p.Chunk, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(p => p.Fingerprint).Distinct().Count() > 1);
        if (disagreeing is not null)
        {
            throw new CheckpointRejectedException($"the checkpoint manifest is inconsistent: pages holding chunk {disagreeing.Key} have different fingerprints");
        }
        // Compared without adding: an address and a size near long.MaxValue would overflow and pass.
        var memoryBytes = manifest.MemoryPages * PageSize;
        if (manifest.Asyncify.BufferAddress < 0 || manifest.Asyncify.BufferSize < 0 || manifest.Asyncify.BufferAddress > memoryBytes - manifest.Asyncify.BufferSize)
        {
            throw new CheckpointRejectedException("the checkpoint manifest is inconsistent: its Asyncify buffer lies outside linear memory");
        }
        if (manifest.Asyncify.Stack is { } stack)
        {
            if (stack.Length != manifest.Asyncify.StackBytes)
            {
                throw new CheckpointRejectedException($"the checkpoint manifest is inconsistent: its call stack holds {stack.Length} bytes, not the {manifest.Asyncify.StackBytes} it declares");
            }
            if (stack.Length > memoryBytes - 8)
            {
                throw new CheckpointRejectedException($"the checkpoint manifest is inconsistent: its call stack ({stack.Length} bytes) does not fit in its linear memory ({memoryBytes} bytes)");
            }
        }
        else if (manifest.Asyncify.StackBytes > 0 && manifest.Asyncify.StackBytes > manifest.Asyncify.BufferSize - 8)
        {
            throw new CheckpointRejectedException("the checkpoint manifest is inconsistent: its call stack is larger than its Asyncify buffer");
        }
    }

    /// <summary>
    /// Writes <paramref name="pages"/> into the linear memory at <paramref name="memoryBase"/>, which must hold at
    /// least the manifest's <see cref="CheckpointManifest.MemoryPages"/> (checked by <see cref="Check"/>). Nothing else
    /// may use the instance meanwhile: pages are written from several threads through the raw pointer.
    /// </summary>
    /// <param name="verified">Pages checked before (a migration target's prefetch): copied as they are; the rest is read and checked now.</param>
    public static async Task LoadIntoAsync(CheckpointManifest manifest, IReadOnlyList<CheckpointPage> pages, IntPtr memoryBase, IChunkStore store, VerifiedPages? verified, CancellationToken cancellationToken)
    {
        // Pages with the same content share a chunk: it is read and checked once, then copied to the others.
        var byChunk = pages.GroupBy(p => p.Chunk, StringComparer.Ordinal).ToList();
        if (byChunk.Count <= 8)
        {
            // A final delta of a few pages: loaded inline, without the thread hops of a parallel loop.
            foreach (var group in byChunk)
            {
                await LoadChunkAsync(manifest, group, memoryBase, store, verified, cancellationToken);
            }
            return;
        }
        // Each worker loads one contiguous run of pages. Interleaved, two threads first-touch pages that share a
        // page-table page, and the kernel serialises those faults.
        var ordered = byChunk.OrderBy(g => g.First().Index).ToList();
        var workers = Math.Min(Environment.ProcessorCount, ordered.Count);
        await Parallel.ForAsync(0, workers, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = workers }, async (worker, ct) =>
        {
            for (var i = ordered.Count * worker / workers; i < ordered.Count * (worker + 1) / workers; i++)
            {
                await LoadChunkAsync(manifest, ordered[i], memoryBase, store, verified, ct);
            }
        });
    }

    private static async ValueTask LoadChunkAsync(CheckpointManifest manifest, IGrouping<string, CheckpointPage> pages, IntPtr memoryBase, IChunkStore store, VerifiedPages? verified, CancellationToken cancellationToken)
    {
        var first = pages.First().Index;
        if (verified is not null && verified.TryGet(pages.Key, out var known))
        {
            known.CopyTo(PageAt(memoryBase, first));
        }
        else if (store is FileChunkStore files)
        {
            var check = PageCheck.FromFileStore(pages.First());
            switch (RawPageReader.TryRead(files.PathOf(pages.Key), PageAt(memoryBase, first)))
            {
                case RawPageReader.Outcome.Read:
                    check.Verify(PageAt(memoryBase, first));
                    break;
                case RawPageReader.Outcome.Missing:
                    throw Missing(manifest, pages.Key);
                default:
                    using (var handle = files.OpenRead(pages.Key) ?? throw Missing(manifest, pages.Key))
                    {
                        LoadFromFile(check, handle, PageAt(memoryBase, first));
                    }
                    break;
            }
        }
        else
        {
            var compressed = await store.GetAsync(pages.Key, cancellationToken) ?? throw Missing(manifest, pages.Key);
            DecompressInto(PageCheck.ByName(pages.Key), compressed, PageAt(memoryBase, first));
        }
        foreach (var page in pages.Skip(1))
        {
            PageAt(memoryBase, first).CopyTo(PageAt(memoryBase, page.Index));
        }
    }

    /// <summary>
    /// Loads a chunk file into its page. A page that did not compress (random data, most of a big heap) is stored as
    /// one raw zstd block: its bytes are read straight into linear memory, one copy instead of a read and a
    /// decompression (64 MiB restore: the decompression was a quarter of the work). Anything else is read into a
    /// pooled buffer (not a fresh array per chunk) and decompressed. Every page is checked by <paramref name="check"/> either way.
    /// </summary>
    private static void LoadFromFile(PageCheck check, SafeFileHandle handle, Span<byte> page)
    {
        var hash = check.Hash;
        var length = RandomAccess.GetLength(handle);
        if (length > ChunkFileLimit)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: its file holds {length} bytes, more than any compressed page{FetchAgain}");
        }
        Span<byte> head = stackalloc byte[RawZstdFrame.HeaderLimit];
        var headLength = ReadFully(handle, head[..(int)Math.Min(head.Length, length)], 0);
        if (RawZstdFrame.ContentOffset(head[..headLength], length, PageSize) is { } offset && ReadFully(handle, page, offset) == PageSize)
        {
            RawPageReader.Learn(offset);
            check.Verify(page);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            DecompressInto(check, buffer.AsSpan(0, ReadFully(handle, buffer.AsSpan(0, (int)length), 0)), page);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        return read;
    }

    private static CheckpointRejectedException Missing(CheckpointManifest manifest, string hash) =>
        new($"chunk {hash} of checkpoint {manifest.WorkloadName}#{manifest.Sequence} is missing from the chunk store; transfer it before restoring");

    private static unsafe Span<byte> PageAt(IntPtr memoryBase, long index) => new((byte*)memoryBase + index * PageSize, PageSize);

    /// <summary>One page exactly, whose content hashes to its name; anything else is refused with the reason.</summary>
    internal static byte[] Decompress(string hash, byte[] compressed)
    {
        var page = GC.AllocateUninitializedArray<byte>(PageSize);
        DecompressInto(PageCheck.ByName(hash), compressed, page);
        return page;
    }

    internal static void DecompressInto(PageCheck check, ReadOnlySpan<byte> compressed, Span<byte> page)
    {
        var hash = check.Hash;
        // A raw frame (a page that did not compress, or a migration's final checkpoint, which skips the compressor)
        // holds the page as it is: copied, not run through the decoder, which was most of a large restore's pause.
        if (RawZstdFrame.ContentOffset(compressed[..Math.Min(compressed.Length, RawZstdFrame.HeaderLimit)], compressed.Length, PageSize) is { } offset)
        {
            compressed.Slice((int)offset, PageSize).CopyTo(page);
            check.Verify(page);
            return;
        }
        // One page exactly: a frame that decompresses to more does not fit, one that yields less is caught below.
        int length;
        try
        {
            var decompressor = Decompressors.TryTake(out var pooled) ? pooled : new Decompressor();
            try
            {
                if (!decompressor.TryUnwrap(compressed, page, out length))
                {
                    throw new CheckpointRejectedException($"chunk {hash} is corrupt: it decompresses to more than one {PageSize}-byte page");
                }
            }
            finally
            {
                Decompressors.Add(decompressor);
            }
        }
        catch (Exception ex) when (ex is ZstdException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: it does not decompress ({ex.Message}){FetchAgain}");
        }
        if (length != PageSize)
        {
            throw new CheckpointRejectedException($"chunk {hash} is corrupt: it holds {length} bytes instead of one {PageSize}-byte page");
        }
        check.Verify(page);
    }
}
