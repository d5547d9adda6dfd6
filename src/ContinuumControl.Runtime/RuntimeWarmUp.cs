using System.Runtime.InteropServices;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Wasmtime;
using ZstdSharp;

namespace ContinuumControl.Runtime;

/// <summary>
/// Pays the runtime's first-use costs in the background, once per process, before a workload needs them. Compiled
/// on first use, the restore path cost 17-21 ms of a process's first 1 MiB restore (target 5 ms), most of it the JIT
/// of the zstd decoder, the hashes, the parallel loader and the manifest's JSON; the pause path's share is described
/// at <see cref="WorkloadInstance"/>. Started by <see cref="RuntimeEngine.Create"/>, so an agent has it done long
/// before its first migration arrives. It round-trips a synthetic checkpoint through a temporary file store (the same
/// code a real one runs) and throws everything away; a failure only means the first real use pays instead.
/// </summary>
public static class RuntimeWarmUp
{
    private const int PageSize = CheckpointManifest.PageSize;

    /// <summary>Distinct chunks: more than the loader handles inline, so its parallel path is compiled too.</summary>
    private const int Pages = 12;

    /// <summary>
    /// Decodes and encodes per kind of page and round: past the 30 calls after which .NET recompiles a method optimised
    /// (tier 1). Calls made while a process is still compiling a lot (an agent's start) are not counted, so a second
    /// round follows after <see cref="TieringDelay"/>.
    /// </summary>
    private const int Decodes = 40;

    private static readonly TimeSpan TieringDelay = TimeSpan.FromMilliseconds(500);

    private const string GlobalsModule = """
        (module
          (memory (export "memory") 1)
          (global (export "i32") (mut i32) (i32.const 1)) (global (export "i64") (mut i64) (i64.const 2))
          (global (export "f32") (mut f32) (f32.const 3)) (global (export "f64") (mut f64) (f64.const 4)))
        """;

    private static readonly Lazy<byte[]> Code = new(() =>
    {
        try
        {
            return File.ReadAllBytes(typeof(RuntimeWarmUp).Assembly.Location);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return System.Text.Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, 20_000)));
        }
    });

    private static readonly Lock StartLock = new();
    private static Task? started;


    /// <summary>
    /// The warm-up on <paramref name="engine"/> (which must outlive it), started by the first call in the process;
    /// later calls return the same task. Await it to be sure it is done; it never fails.
    /// </summary>
    public static Task Start(Engine engine)
    {
        lock (StartLock)
        {
            // Off the thread pool: a workload's other work (and, in a test process, every other test) needs it more.
            return started ??= Task.Factory
                .StartNew(() => RunAsync(engine), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .Unwrap();
        }
    }

    /// <summary>
    /// Runs every step even if one fails (nothing depends on the warm-up); returns the first failure, if any. The
    /// synthetic checkpoint lives in a directory of its own under <paramref name="scratch"/> (default: the temporary
    /// directory) and is deleted at the end.
    /// </summary>
    internal static async Task<Exception?> RunAsync(Engine engine, string? scratch = null)
    {
        Exception? failure = null;
        void Try(Action step)
        {
            try
            {
                step();
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }
        Try(WorkloadInstance.CompilePausePath);
        Try(() => WorkloadInstance.WarmGlobals(engine, GlobalsModule));
        var directory = Path.Combine(scratch ?? Path.GetTempPath(), $"continuum-warm-up-{Guid.NewGuid():N}");
        var memory = IntPtr.Zero;
        var copy = IntPtr.Zero;
        try
        {
            memory = Allocate();
            copy = Allocate();
            Fill(memory);
            var store = new FileChunkStore(directory);
            var manifest = await new CheckpointWriter().WriteAsync(Captured(memory), store, CancellationToken.None);
            manifest = CheckpointManifestSerializer.Parse(CheckpointManifestSerializer.ToBytes(manifest));
            CheckpointLoader.Check(manifest, manifest.ModuleHash);
            // Once from the file store (fingerprints, pages read in place) and once through another store (SHA-256 names).
            await CheckpointLoader.LoadIntoAsync(manifest, manifest.Pages, copy, store, null, CancellationToken.None);
            await CheckpointLoader.LoadIntoAsync(manifest, manifest.Pages, copy, new ReadThrough(store), null, CancellationToken.None);
            var pages = new List<(string Chunk, byte[] Compressed, byte[] Content)>();
            foreach (var page in manifest.Pages.Take(3))
            {
                var compressed = (await store.GetAsync(page.Chunk))!;
                pages.Add((page.Chunk, compressed, CheckpointLoader.Decompress(page.Chunk, compressed)));
            }
            for (var round = 0; round < 2; round++)
            {
                await Task.Delay(round == 0 ? TimeSpan.Zero : TieringDelay);
                await Task.Factory.StartNew(() => Recode(pages), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }
        catch (Exception ex)
        {
            failure ??= ex;
        }
        finally
        {
            Free(memory);
            Free(copy);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary directory is harmless.
            }
        }
        return failure;
    }

    /// <summary>
    /// zstd's decoder is a lot of code that a restore calls a few times only: without this it would run unoptimised in
    /// every restore (0.7 ms for one page of a 1 MiB heap), not only in the first. The encoder likewise: a migration's
    /// final checkpoint is compressed while the workload is paused.
    /// </summary>
    private static void Recode(List<(string Chunk, byte[] Compressed, byte[] Content)> pages)
    {
        using var compressor = new Compressor(CheckpointWriter.CompressionLevel);
        foreach (var (chunk, compressed, content) in pages)
        {
            for (var i = 0; i < Decodes; i++)
            {
                _ = CheckpointLoader.Decompress(chunk, compressed);
                _ = compressor.Wrap(content);
            }
        }
    }

    private static unsafe IntPtr Allocate() => (IntPtr)NativeMemory.AllocZeroed(Pages * PageSize);

    private static unsafe void Free(IntPtr memory)
    {
        if (memory != IntPtr.Zero)
        {
            NativeMemory.Free((void*)memory);
        }
    }

    /// <summary>
    /// Three kinds of page, as a memory holds them: random bytes (stored raw, read in place), program code and data
    /// (Huffman-coded literals and matches) and sparse small integers (mostly repeats). zstd decodes each with other
    /// code, all of which would otherwise be compiled during a real restore (the first code-like page cost 4 ms there).
    /// </summary>
    private static unsafe void Fill(IntPtr memory)
    {
        var pages = new Span<byte>((void*)memory, Pages * PageSize);
        for (var page = 0; page < Pages; page++)
        {
            var span = pages.Slice(page * PageSize, PageSize);
            switch (page % 3)
            {
                case 0:
                    Random.Shared.NextBytes(span);
                    break;
                case 1:
                    // Program code and data: a slice of this assembly's file, which mixes headers, code and strings.
                    var code = Code.Value;
                    var from = code.Length > PageSize ? (page / 3 * PageSize) % (code.Length - PageSize) : 0;
                    code.AsSpan(from, Math.Min(PageSize, code.Length - from)).CopyTo(span);
                    break;
                default:
                    for (var i = 0; i < span.Length; i += 16)
                    {
                        span[i] = (byte)Random.Shared.Next(1, 200);
                    }
                    break;
            }
        }
    }

    private static CapturedState Captured(IntPtr memory) => new()
    {
        MemoryBase = memory,
        PageIndices = Enumerable.Range(0, Pages).Select(i => (long)i).ToArray(),
        BuildManifest = pages => new CheckpointManifest
        {
            ModuleHash = new string('0', 64),
            InstrumentationVersion = 0,
            WorkloadName = "warm-up",
            Sequence = 1,
            // A throwaway manifest that exercises the code paths: its time is never read.
            CreatedAt = DateTimeOffset.UnixEpoch,
            MemoryPages = Pages,
            Pages = pages,
            Globals = [],
            Asyncify = new AsyncifyState(0, 0, 0),
            Wasi = new WasiState([], new Dictionary<string, string>(), [], 0, 0),
            CpuTimeUsed = TimeSpan.Zero,
            MemoryLimitBytes = Pages * PageSize,
        },
    };

    /// <summary>A store that is not a file store, so the loader takes its general path.</summary>
    private sealed class ReadThrough(IChunkStore inner) : IChunkStore
    {
        public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => inner.ContainsAsync(hash, cancellationToken);

        public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default) =>
            inner.PutAsync(hash, compressed, cancellationToken);

        public ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) => inner.GetAsync(hash, cancellationToken);
    }
}
