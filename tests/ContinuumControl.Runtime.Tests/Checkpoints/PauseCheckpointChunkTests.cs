using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;
using ZstdSharp;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>
/// A checkpoint taken while the workload stays frozen (a migration's final one) skips the compressor: its new chunks
/// are raw zstd frames, which any zstd decoder reads and restores copy in place. Compressing them was most of the
/// pause of a migration whose pages all changed (see docs/benchmarks.md, downtime of compute kernels).
/// </summary>
public class PauseCheckpointChunkTests
{
    private const int Page = CheckpointManifest.PageSize;

    [Fact]
    public async Task RequestCheckpoint_Pause_StoresNewChunksUncompressed_AndTheRestoreFinishesIdentically()
    {
        var spec = Workloads.Spec("counter");
        using var directory = new TestDirectory();
        var sink = new CollectingSink();
        CheckpointManifest manifest;
        byte[] module;
        using (var engine = RuntimeEngine.Create())
        using (var instance = new WorkloadInstance(engine, spec, sink))
        {
            module = instance.Module.Bytes;
            var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
            await instance.RequestCheckpoint(CheckpointMode.Continue, new FileChunkStore(directory.Sub("continue")));
            manifest = await instance.RequestCheckpoint(CheckpointMode.Pause, new FileChunkStore(directory.Sub("pause")));
            instance.Discard();
            Assert.True((await run).Discarded);
        }

        var continued = Chunks(directory.Sub("continue"));
        var paused = Chunks(directory.Sub("pause"));
        Assert.Contains(continued, chunk => chunk.Length < Page);
        Assert.Equal(manifest.ChunkHashes().Distinct().Count(), paused.Count);
        Assert.All(paused, chunk => Assert.NotNull(RawZstdFrame.ContentOffset(chunk.AsSpan(0, RawZstdFrame.HeaderLimit), chunk.Length, Page)));

        using var target = RuntimeEngine.Create();
        using var restored = await WorkloadInstance.RestoreAsync(target, manifest, new FileChunkStore(directory.Sub("pause")), module, sink);
        var outcome = restored.Run();
        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(Samples.ExpectedStdout("counter"), sink.Stdout);
    }

    [Fact]
    public void Wrap_AnyPage_IsARawFrameThatZstdDecodesToThePage()
    {
        var page = new byte[Page];
        page.AsSpan().Fill(7);
        var frame = RawZstdFrame.Wrap(page);

        Assert.Equal(page, new Decompressor().Unwrap(frame).ToArray());
        Assert.Equal(12, RawZstdFrame.ContentOffset(frame.AsSpan(0, RawZstdFrame.HeaderLimit), frame.Length, Page));
    }

    [Fact]
    public void Check_RawFrameWithAChangedByte_IsRejected()
    {
        var page = new byte[Page];
        page[100] = 1;
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(page));
        var frame = RawZstdFrame.Wrap(page);
        ChunkIntegrity.Check(name, frame);
        frame[12 + 100] = 2;

        var ex = Assert.Throws<CheckpointRejectedException>(() => ChunkIntegrity.Check(name, frame));
        Assert.Contains(name, ex.Reason, StringComparison.Ordinal);
    }

    private static List<byte[]> Chunks(string root) =>
        [.. Directory.EnumerateFiles(root, "*.zst", SearchOption.AllDirectories).Select(File.ReadAllBytes)];
}
