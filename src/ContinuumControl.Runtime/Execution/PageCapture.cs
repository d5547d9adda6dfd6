using System.Buffers;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Finds and copies a frozen instance's non-zero pages through the raw memory pointer. The workload is frozen for
/// exactly this long during a periodic checkpoint, so a large memory is split between the cores: a 64 MiB first
/// checkpoint spends most of its time faulting in the fresh copy buffer, which one thread did in 31 ms. Plain loops
/// and arrays on purpose: the LINQ that gathered the page list used to compile code paths on the first checkpoint
/// (1 ms of a 1 MiB pause) that <see cref="Warm"/> could not reach with a small memory.
/// </summary>
internal static unsafe class PageCapture
{
    private const int PageSize = CheckpointManifest.PageSize;

    /// <summary>Below this many pages one thread is quicker than handing work out.</summary>
    public const int ParallelFrom = 64;

    public static long[] NonZeroPages(nint memoryBase, long totalPages) => NonZeroPages(memoryBase, totalPages, Parts(totalPages));

    public static void Copy(nint memoryBase, long[] pages, byte[] destination) => Copy(memoryBase, pages, destination, Parts(pages.Length));

    /// <summary>
    /// Runs both the one-thread and the parallel path of a capture on the first page, before the guest starts: the
    /// first run of each (JIT, the parallel loop's worker start-up) would otherwise fall in the first checkpoint's pause.
    /// </summary>
    public static void Warm(nint memoryBase)
    {
        var copy = new byte[2 * PageSize];
        foreach (var parts in new[] { 1, Math.Max(2, Environment.ProcessorCount) })
        {
            _ = NonZeroPages(memoryBase, 1, parts);
            Copy(memoryBase, [0, 0], copy, parts);
        }
    }

    private static long[] NonZeroPages(nint memoryBase, long totalPages, int parts)
    {
        // Each part lists its pages at the start of its own range; the lists are joined afterwards. The scratch list
        // is rented: a fresh one per pause would be a large-object allocation for a big memory.
        var found = ArrayPool<long>.Shared.Rent((int)totalPages);
        try
        {
            var counts = new int[parts];
            Run(parts, part =>
            {
                var (from, to) = Range(totalPages, part, parts);
                var count = 0;
                for (var page = from; page < to; page++)
                {
                    if (PageAt(memoryBase, page).IndexOfAnyExcept((byte)0) >= 0)
                    {
                        found[from + count++] = page;
                    }
                }
                counts[part] = count;
            });
            var total = 0;
            foreach (var count in counts)
            {
                total += count;
            }
            var pages = new long[total];
            var at = 0;
            for (var part = 0; part < parts; part++)
            {
                Array.Copy(found, Range(totalPages, part, parts).From, pages, at, counts[part]);
                at += counts[part];
            }
            return pages;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(found);
        }
    }

    private static void Copy(nint memoryBase, long[] pages, byte[] destination, int parts) =>
        Run(parts, part =>
        {
            var (from, to) = Range(pages.Length, part, parts);
            for (var i = from; i < to; i++)
            {
                PageAt(memoryBase, pages[i]).CopyTo(destination.AsSpan((int)(i * PageSize), PageSize));
            }
        });

    private static int Parts(long count) => count < ParallelFrom ? 1 : Environment.ProcessorCount;

    private static (long From, long To) Range(long count, int part, int parts) => (count * part / parts, count * (part + 1) / parts);

    private static void Run(int parts, Action<int> body)
    {
        if (parts == 1)
        {
            body(0);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
    }

    private static ReadOnlySpan<byte> PageAt(nint memoryBase, long page) => new((byte*)memoryBase + page * PageSize, PageSize);
}
