using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;
using Wasmtime;

namespace ContinuumControl.Runtime.Tests.Execution;

/// <summary>Loading a checkpoint's memory into an instance, fresh or staged (then only the delta).</summary>
public class MemoryImageTests
{
    private const int Page = CheckpointManifest.PageSize;

    [Fact]
    public async Task LoadAsync_OverAStagedMemory_WritesOnlyChangedPages_ClearsDroppedOnes_AndGrows()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (a, b, c) = (await Put(store, 1), await Put(store, 2), await Put(store, 3));
        using var engine = new Engine();
        using var module = Module.FromText(engine, "mem", "(module (memory (export \"memory\") 1))");
        using var wasm = new Store(engine);
        var memory = new Linker(engine).Instantiate(wasm, module).GetMemory("memory")!;
        // Staged: page 0 holds chunk a, page 1 chunk b. A marker in page 0 shows whether the load rewrote it.
        await MemoryImage.LoadAsync(memory, Manifest(2, (0, a), (1, b)), null, store, null, default);
        memory.GetSpan(0, 1)[0] = 0xEE;

        await MemoryImage.LoadAsync(memory, Manifest(3, (0, a), (2, c)), new Dictionary<long, string> { [0] = a, [1] = b }, store, null, default);

        Assert.Equal(3, memory.GetSize());
        Assert.Equal(0xEE, memory.GetSpan(0, 1)[0]);
        Assert.Equal(-1, memory.GetSpan(Page, Page).IndexOfAnyExcept((byte)0));
        Assert.Equal(-1, memory.GetSpan(2 * Page, Page).IndexOfAnyExcept((byte)3));
    }

    [Fact]
    public async Task LoadAsync_FreshInstance_ClearsDataSegmentPagesTheCheckpointHasAsZero()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var c = await Put(store, 3);
        using var engine = new Engine();
        using var module = Module.FromText(engine, "mem", "(module (memory (export \"memory\") 2) (data (i32.const 65540) \"initialised\"))");
        using var wasm = new Store(engine);
        var memory = new Linker(engine).Instantiate(wasm, module).GetMemory("memory")!;

        await MemoryImage.LoadAsync(memory, Manifest(2, (0, c)), null, store, null, default);

        Assert.Equal(-1, memory.GetSpan(0, Page).IndexOfAnyExcept((byte)3));
        Assert.Equal(-1, memory.GetSpan(Page, Page).IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public async Task LoadAsync_PagesSharingAChunk_EachGetsItsContent()
    {
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        var (a, b) = (await Put(store, 1), await Put(store, 2));
        using var engine = new Engine();
        using var module = Module.FromText(engine, "mem", "(module (memory (export \"memory\") 1))");
        using var wasm = new Store(engine);
        var memory = new Linker(engine).Instantiate(wasm, module).GetMemory("memory")!;

        await MemoryImage.LoadAsync(memory, Manifest(4, (0, a), (1, b), (2, a), (3, a)), null, store, null, default);

        Assert.Equal(-1, memory.GetSpan(0, Page).IndexOfAnyExcept((byte)1));
        Assert.Equal(-1, memory.GetSpan(Page, Page).IndexOfAnyExcept((byte)2));
        Assert.Equal(-1, memory.GetSpan(2 * Page, Page).IndexOfAnyExcept((byte)1));
        Assert.Equal(-1, memory.GetSpan(3 * Page, Page).IndexOfAnyExcept((byte)1));
    }

    [Fact]
    public void ToLoad_WithStagedPages_NamesOnlyChangedOnes()
    {
        var manifest = Manifest(3, (0, "a"), (1, "x"), (2, "c"));

        var load = MemoryImage.ToLoad(manifest, new Dictionary<long, string> { [0] = "a", [1] = "b" });

        Assert.Equal(["x", "c"], load.Select(p => p.Chunk));
        Assert.Equal(["a", "x", "c"], MemoryImage.ToLoad(manifest, null).Select(p => p.Chunk));
    }

    /// <summary>Stores a page filled with <paramref name="value"/> as a chunk and returns its name.</summary>
    private static async Task<string> Put(IChunkStore store, byte value)
    {
        var page = Enumerable.Repeat(value, Page).ToArray();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(page));
        using var compressor = new ZstdSharp.Compressor();
        await store.PutAsync(hash, compressor.Wrap(page).ToArray());
        return hash;
    }

    private static CheckpointManifest Manifest(long pages, params (long Index, string Chunk)[] content) => new()
    {
        ModuleHash = "m",
        InstrumentationVersion = 1,
        WorkloadName = "mem",
        Sequence = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        MemoryPages = pages,
        Pages = content.Select(c => new CheckpointPage(c.Index, c.Chunk)).ToList(),
        Globals = [],
        Asyncify = new AsyncifyState(0, 0, 0),
        Wasi = new WasiState([], new Dictionary<string, string>(), [], 0, 0),
        CpuTimeUsed = TimeSpan.Zero,
        MemoryLimitBytes = 1 << 24,
    };
}
