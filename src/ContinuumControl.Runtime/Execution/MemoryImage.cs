using ContinuumControl.Runtime.Checkpoints;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>Writes a checkpoint's linear memory into an instance: grows it to the checkpoint's size and makes every page equal the checkpoint's.</summary>
internal static class MemoryImage
{
    private const int PageSize = CheckpointManifest.PageSize;

    /// <param name="inPlace">
    /// The page -> chunk map the memory already holds (a staged instance filled from the pre-copy), or null for a
    /// fresh instance. Pages whose chunk did not change are left alone, so only the delta is written.
    /// </param>
    public static void Apply(Memory memory, CheckpointManifest manifest, IReadOnlyDictionary<string, byte[]> chunks, IReadOnlyDictionary<long, string>? inPlace)
    {
        var have = memory.GetSize();
        if (have > manifest.MemoryPages)
        {
            throw new CheckpointRejectedException($"the checkpoint's memory ({manifest.MemoryPages} pages) is smaller than the module's initial memory ({have} pages); it does not belong to this module");
        }
        if (have < manifest.MemoryPages && memory.Grow(manifest.MemoryPages - have) < 0)
        {
            throw new CheckpointRejectedException($"could not grow memory to the checkpoint's {manifest.MemoryPages} pages");
        }
        var byIndex = manifest.Pages.ToDictionary(p => p.Index, p => p.Chunk);
        for (long page = 0; page < manifest.MemoryPages; page++)
        {
            byIndex.TryGetValue(page, out var chunk);
            if (inPlace is not null)
            {
                // Staged pages equal their chunk, the rest are zero (cleared at staging, or grown since).
                inPlace.TryGetValue(page, out var current);
                if (string.Equals(chunk, current, StringComparison.Ordinal))
                {
                    continue;
                }
            }
            var target = memory.GetSpan(page * PageSize, PageSize);
            if (chunk is not null)
            {
                chunks[chunk].CopyTo(target);
            }
            else if (inPlace is not null || target.IndexOfAnyExcept((byte)0) >= 0)
            {
                // Data segments initialised this page at instantiation (or the pre-copy had data there), but it was all zeros when captured.
                target.Clear();
            }
        }
    }

    /// <summary>The chunks a restore must read: all of them, or with a staged memory only those of pages that changed since.</summary>
    public static IEnumerable<string> ChunksToRead(CheckpointManifest manifest, IReadOnlyDictionary<long, string>? inPlace) =>
        inPlace is null
            ? manifest.ChunkHashes()
            : manifest.Pages.Where(p => !(inPlace.TryGetValue(p.Index, out var current) && current == p.Chunk)).Select(p => p.Chunk).Distinct(StringComparer.Ordinal);
}
