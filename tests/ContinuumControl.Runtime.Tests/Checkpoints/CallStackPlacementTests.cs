using System.Security.Cryptography;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>
/// The saved call stack never takes memory from the guest. The runtime used to grow memory for its Asyncify buffer at
/// the first checkpoint; a checkpoint before the guest's first allocation handed that buffer to wasi-libc's malloc
/// (which takes everything up to memory.size as its first heap) and the next unwind wrote over the guest's heap.
/// </summary>
public class CallStackPlacementTests
{
    [Theory]
    [InlineData("rust-collections", new[] { "12", "3000" })]
    [InlineData("rust-recursion", new[] { "30" })]
    public async Task PausedBeforeTheFirstAllocation_ThenAgainMidRun_FinishesAsIfNeverPaused(string sample, string[] args)
    {
        var spec = Workloads.Spec(sample, args);
        var expected = MigrationDriver.Uninterrupted(spec);
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        using var instance = new WorkloadInstance(engine, spec, sink);

        // Asked before the run starts, the pause lands at the first safe point: _start's entry, before any malloc.
        var first = instance.RequestCheckpoint(CheckpointMode.Pause, store);
        var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        var atStart = await first.WaitAsync(TimeSpan.FromSeconds(30));
        instance.Resume();
        Assert.Empty(sink.Stdout);
        var pauses = 1;
        // Then pause again and again while the heap is in use: each unwind borrows the top of memory.
        while (!run.IsCompleted && pauses < 6)
        {
            Thread.Sleep(15);
            try
            {
                await instance.RequestCheckpoint(CheckpointMode.Pause, store).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (InvalidOperationException)
            {
                break;
            }
            instance.Resume();
            pauses++;
        }
        var outcome = await run;

        Assert.True(outcome.Succeeded, $"{outcome.FailureReason}\n{sink.StderrText}");
        Assert.True(pauses >= 2, "the workload finished before a second pause; lengthen the run");
        expected.AssertSameAs(sink);
        // Nothing was added to the guest's memory for the stack: it travels beside it.
        Assert.NotNull(atStart.Asyncify.Stack);
        Assert.Equal(atStart.Asyncify.StackBytes, atStart.Asyncify.Stack!.Length);
        Assert.Equal(InitialMemoryPages(spec), atStart.MemoryPages);
    }

    [Fact]
    public async Task ManifestWithItsStackInMemory_FromBeforeTheStackTravelledBeside_RestoresAndFinishes()
    {
        var spec = Workloads.Spec("rust-collections", "6", "2000");
        var expected = MigrationDriver.Uninterrupted(spec);
        using var directory = new TestDirectory();
        var store = new FileChunkStore(directory.Sub("chunks"));
        CheckpointManifest current;
        using (var engine = RuntimeEngine.Create())
        {
            using var source = new WorkloadInstance(engine, spec, new CollectingSink());
            var pause = source.RequestCheckpoint(CheckpointMode.Pause, store);
            var run = Task.Factory.StartNew(() => source.Run(), TaskCreationOptions.LongRunning);
            current = await pause.WaitAsync(TimeSpan.FromSeconds(30));
            source.Discard();
            await run;
        }
        // The layout an earlier runtime wrote: one more page of memory holding the header and the stack, no Stack field.
        var stack = current.Asyncify.Stack!;
        var page = new byte[CheckpointManifest.PageSize];
        stack.CopyTo(page.AsSpan(8));
        var hash = Convert.ToHexStringLower(SHA256.HashData(page));
        await store.PutAsync(hash, RawZstdFrame.Wrap(page));
        var legacy = current with
        {
            MemoryPages = current.MemoryPages + 1,
            Pages = [.. current.Pages, new CheckpointPage(current.MemoryPages, hash)],
            Asyncify = new AsyncifyState(current.MemoryPages * CheckpointManifest.PageSize, CheckpointManifest.PageSize, stack.Length),
        };

        using var targetEngine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        var parsed = CheckpointManifestSerializer.Parse(CheckpointManifestSerializer.ToBytes(legacy));
        using var restored = await WorkloadInstance.RestoreAsync(targetEngine, parsed, store, spec.ModuleBytes, sink);
        var outcome = restored.Run();

        Assert.True(outcome.Succeeded, $"{outcome.FailureReason}\n{sink.StderrText}");
        expected.AssertSameAs(sink);
    }

    [Fact]
    public void ManifestWhoseStackDisagreesWithItsLength_IsRefusedWithTheReason()
    {
        var manifest = TestManifest(new AsyncifyState(0, 0, 10, new byte[4]));

        var error = Assert.Throws<CheckpointRejectedException>(() => CheckpointLoader.Check(manifest, manifest.ModuleHash));

        Assert.Contains("call stack holds 4 bytes, not the 10 it declares", error.Reason);
    }

    [Fact]
    public void ManifestWhoseStackIsLargerThanItsMemory_IsRefusedWithTheReason()
    {
        var manifest = TestManifest(new AsyncifyState(0, 0, 70000, new byte[70000]));

        var error = Assert.Throws<CheckpointRejectedException>(() => CheckpointLoader.Check(manifest, manifest.ModuleHash));

        Assert.Contains("does not fit in its linear memory (65536 bytes)", error.Reason);
    }

    private static CheckpointManifest TestManifest(AsyncifyState asyncify) => new()
    {
        ModuleHash = new string('a', 64),
        InstrumentationVersion = Runtime.Instrumentation.InstrumentationMarker.Version,
        WorkloadName = "w",
        Sequence = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        MemoryPages = 1,
        Pages = [],
        Globals = [],
        Asyncify = asyncify,
        Wasi = new WasiState([], new Dictionary<string, string>(), [], 0, 0),
        CpuTimeUsed = TimeSpan.Zero,
        MemoryLimitBytes = 1 << 20,
    };

    private static long InitialMemoryPages(WorkloadSpec spec)
    {
        var layout = Runtime.Binary.ModuleLayout.Read(Runtime.Binary.WasmModuleFile.Parse(spec.ModuleBytes));
        return (long)layout.Memories[0].Min;
    }
}
