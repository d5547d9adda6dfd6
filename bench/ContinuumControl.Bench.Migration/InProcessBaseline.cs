using System.Diagnostics;
using System.Text;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// The floor a migration cannot beat without runtime changes: checkpoint (Pause) and restore of the same workload in one
/// process with the runtime library and a local file chunk store, no network, no control plane. With pre-copy a
/// Continue checkpoint into the same store goes first, so the final one writes only changed chunks, and an instance is
/// staged from it (as a migration target does at prefetch), so the restore writes only changed pages.
/// </summary>
public static class InProcessBaseline
{
    public sealed record Result(bool PreCopy, double PauseToResumedMs, double ToSafePointMs, double CaptureMs, double WriteMs, double LoadMs, double InstantiateApplyMs, int NewChunks, bool OutputMatches);

    private sealed class Sink(string marker) : IOutputSink
    {
        private readonly MemoryStream _stdout = new();
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Write(bool stderr, ReadOnlySpan<byte> data)
        {
            if (stderr)
            {
                return;
            }
            lock (_stdout)
            {
                _stdout.Write(data);
                if (Encoding.UTF8.GetString(_stdout.ToArray()).Contains(marker, StringComparison.Ordinal))
                {
                    Seen.TrySetResult();
                }
            }
        }

        public byte[] Bytes()
        {
            lock (_stdout)
            {
                return _stdout.ToArray();
            }
        }
    }

    public static async Task<Result> RunAsync(byte[] module, IReadOnlyList<string> args, long memoryLimit, bool preCopy, string workDir, byte[] expected)
    {
        var engine = RuntimeEngine.Create();
        var options = new WorkloadOptions { PrecompiledCache = new PrecompiledModuleCache(Path.Combine(workDir, "precompiled")) };
        var store = new FileChunkStore(Path.Combine(workDir, "chunks-" + Guid.NewGuid().ToString("N")));
        var sink = new Sink("working-set:");
        using var source = new WorkloadInstance(engine, new WorkloadSpec("baseline", module, args, new Dictionary<string, string>(), memoryLimit), sink, options);
        var sourceRun = Task.Factory.StartNew(() => source.Run(), TaskCreationOptions.LongRunning);
        await sink.Seen.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await Task.Delay(200);
        StagedRestore? staged = null;
        if (preCopy)
        {
            var preManifest = await source.RequestCheckpoint(CheckpointMode.Continue, store);
            staged = await StagedRestore.PrepareAsync(engine, preManifest, store, source.Module.Bytes, new RestoreOptions { Workload = options, MemoryLimitBytes = memoryLimit });
            await Task.Delay(100);
        }
        var requested = Stopwatch.GetTimestamp();
        var manifest = await source.RequestCheckpoint(CheckpointMode.Pause, store);
        var timing = source.LastCheckpointTiming!;
        var written = Stopwatch.GetTimestamp();
        var instrumentedBytes = source.Module.Bytes;
        // The source's output up to the pause, then the restored copy's output.
        var restoredSink = new Sink("\u0000never");
        var instance = await WorkloadInstance.RestoreAsync(engine, manifest, store, instrumentedBytes, restoredSink, new RestoreOptions { Workload = options, MemoryLimitBytes = memoryLimit, Staged = staged });
        var loaded = Stopwatch.GetTimestamp();
        long resumed = 0;
        instance.Resumed = () => resumed = Stopwatch.GetTimestamp();
        var restoredRun = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
        source.Discard();
        await sourceRun;
        var outcome = await restoredRun;
        instance.Dispose();
        staged?.Dispose();
        var combined = sink.Bytes().Concat(restoredSink.Bytes()).ToArray();
        var pausedAt = requested + (long)(timing.ToSafePoint.TotalSeconds * Stopwatch.Frequency);
        try
        {
            Directory.Delete(store.Root, recursive: true);
        }
        catch (IOException)
        {
        }
        return new Result(preCopy,
            Stopwatch.GetElapsedTime(pausedAt, resumed).TotalMilliseconds,
            timing.ToSafePoint.TotalMilliseconds,
            timing.Capture.TotalMilliseconds,
            Stopwatch.GetElapsedTime(pausedAt, written).TotalMilliseconds - timing.Capture.TotalMilliseconds,
            Stopwatch.GetElapsedTime(written, loaded).TotalMilliseconds,
            Stopwatch.GetElapsedTime(loaded, resumed).TotalMilliseconds,
            timing.NewChunks,
            outcome.Succeeded && combined.AsSpan().SequenceEqual(expected));
    }
}
