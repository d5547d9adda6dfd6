using ContinuumControl.Runtime.Checkpoints;
using Wasmtime;

namespace ContinuumControl.Runtime.Execution;

/// <summary>Makes an instance's linear memory equal a checkpoint's: grows it, clears what must be zero and loads the pages it does not hold yet.</summary>
internal static class MemoryImage
{
    private const int PageSize = CheckpointManifest.PageSize;

    /// <summary>
    /// Loads <paramref name="manifest"/>'s memory into <paramref name="memory"/>, each page verified (see
    /// <see cref="CheckpointLoader"/>). The manifest must have passed <see cref="CheckpointLoader.Check"/>.
    /// </summary>
    /// <param name="inPlace">
    /// The page -> chunk map the memory already holds (a staged instance filled from the pre-copy), or null for a
    /// fresh instance. Pages whose chunk did not change are left alone, so only the delta is read and written.
    /// </param>
    public static async Task LoadAsync(Memory memory, CheckpointManifest manifest, IReadOnlyDictionary<long, string>? inPlace, IChunkStore store, VerifiedPages? verified, CancellationToken cancellationToken)
    {
        var have = memory.GetSize();
        if (have > manifest.MemoryPages)
        {
            throw new CheckpointRejectedException($"the checkpoint's memory ({manifest.MemoryPages} pages) is smaller than the instance's ({have} pages); it does not belong to this module");
        }
        if (have < manifest.MemoryPages && memory.Grow(manifest.MemoryPages - have) < 0)
        {
            throw new CheckpointRejectedException($"could not grow memory to the checkpoint's {manifest.MemoryPages} pages");
        }
        var listed = manifest.Pages.Select(p => p.Index).ToHashSet();
        if (inPlace is null)
        {
            // Data segments initialised pages at instantiation that were all zeros when captured. Grown pages are zero.
            for (long page = 0; page < have; page++)
            {
                var span = memory.GetSpan(page * PageSize, PageSize);
                if (!listed.Contains(page) && span.IndexOfAnyExcept((byte)0) >= 0)
                {
                    span.Clear();
                }
            }
        }
        else
        {
            // Pages the pre-copy had data in that are all zeros now.
            foreach (var page in inPlace.Keys.Where(p => !listed.Contains(p)))
            {
                memory.GetSpan(page * PageSize, PageSize).Clear();
            }
        }
        await CheckpointLoader.LoadIntoAsync(manifest, ToLoad(manifest, inPlace), memory.GetPointer(), store, verified, cancellationToken);
    }

    /// <summary>The pages a restore must load: all of them, or with a staged memory only those whose chunk changed.</summary>
    public static List<CheckpointPage> ToLoad(CheckpointManifest manifest, IReadOnlyDictionary<long, string>? inPlace) =>
        inPlace is null
            ? [.. manifest.Pages]
            : manifest.Pages.Where(p => !(inPlace.TryGetValue(p.Index, out var current) && current == p.Chunk)).ToList();

    /// <summary>Which chunk each page of a memory loaded from <paramref name="manifest"/> holds.</summary>
    public static Dictionary<long, string> Map(CheckpointManifest manifest) => manifest.Pages.ToDictionary(p => p.Index, p => p.Chunk);
}
