using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using Wasmtime;

namespace ContinuumControl.Runtime.Tests.Execution;

/// <summary>Writing a checkpoint's memory into an instance, fresh or staged (only the delta).</summary>
public class MemoryImageTests
{
    private const int Page = CheckpointManifest.PageSize;

    [Fact]
    public void Apply_OverAStagedMemory_WritesOnlyChangedPages_ClearsDroppedOnes_AndGrows()
    {
        using var engine = new Engine();
        using var module = Module.FromText(engine, "mem", "(module (memory (export \"memory\") 2))");
        using var store = new Store(engine);
        var memory = new Linker(engine).Instantiate(store, module).GetMemory("memory")!;
        var chunks = new Dictionary<string, byte[]> { ["a"] = Filled(1), ["b"] = Filled(2), ["c"] = Filled(3) };
        // Staged: page 0 holds chunk a, page 1 chunk b. A marker in page 0 shows whether the apply rewrote it.
        MemoryImage.Apply(memory, Manifest(2, (0, "a"), (1, "b")), chunks, inPlace: null);
        memory.GetSpan(0, 1)[0] = 0xEE;

        MemoryImage.Apply(memory, Manifest(3, (0, "a"), (2, "c")), chunks, new Dictionary<long, string> { [0] = "a", [1] = "b" });

        Assert.Equal(3, memory.GetSize());
        Assert.Equal(0xEE, memory.GetSpan(0, 1)[0]);
        Assert.Equal(-1, memory.GetSpan(Page, Page).IndexOfAnyExcept((byte)0));
        Assert.True(memory.GetSpan(2 * Page, Page).SequenceEqual(chunks["c"]));
    }

    [Fact]
    public void ChunksToRead_WithStagedPages_NamesOnlyChangedOnes()
    {
        var manifest = Manifest(3, (0, "a"), (1, "x"), (2, "c"));

        var read = MemoryImage.ChunksToRead(manifest, new Dictionary<long, string> { [0] = "a", [1] = "b" }).ToList();

        Assert.Equal(["x", "c"], read);
        Assert.Equal(["a", "x", "c"], MemoryImage.ChunksToRead(manifest, null).ToList());
    }

    private static byte[] Filled(byte value) => Enumerable.Repeat(value, Page).ToArray();

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
