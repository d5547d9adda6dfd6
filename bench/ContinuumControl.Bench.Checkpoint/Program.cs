// Pause, restore and checkpoint-size measurements for one sample workload.
// Usage: dotnet run -c Release --project bench/ContinuumControl.Bench.Checkpoint -- <sample> [sample args...]
//   e.g. big-heap 100000 1     (about 1 MiB of heap)      big-heap 100000 64   (64 MiB)      never-yields 100
// Runs the sample from samples/workloads for 1.5 s, takes six periodic checkpoints (Continue) 100 ms apart and one
// Pause checkpoint, then restores that one five times on the warm engine with a warm precompiled-module cache.
using ContinuumControl.Bench.Checkpoint;
using ContinuumControl.Runtime;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Instrumentation;

var samples = FindSamples();
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: ContinuumControl.Bench.Checkpoint <sample> [sample args...]   e.g. big-heap 100000 64");
    return args.Length == 0 ? 64 : 0;
}
if (samples is null)
{
    Console.Error.WriteLine("samples/workloads not found: run the benchmark from the repository's directory");
    return 66;
}
if (!File.Exists(Path.Combine(samples, args[0] + ".wasm")))
{
    var known = string.Join(", ", Directory.GetFiles(samples, "*.wasm").Select(Path.GetFileNameWithoutExtension).Order());
    Console.Error.WriteLine($"no sample named '{args[0]}' in {samples}; the samples are: {known}");
    return 64;
}
var root = Path.Combine(Path.GetTempPath(), "cc-bench-checkpoint-" + Guid.NewGuid().ToString("N"));
try
{
    var options = new WorkloadOptions
    {
        Instrumentation = new InstrumentationOptions { CacheDirectory = Path.Combine(root, "instrumented") },
        PrecompiledCache = new PrecompiledModuleCache(Path.Combine(root, "precompiled")),
    };
    var spec = new WorkloadSpec(args[0], File.ReadAllBytes(Path.Combine(samples, args[0] + ".wasm")), args[1..], new Dictionary<string, string>(), 512L << 20);
    using var engine = RuntimeEngine.Create();
    var store = new FileChunkStore(Path.Combine(root, "chunks"));
    using (new WorkloadInstance(engine, spec, new DiscardingSink(), options))
    {
        // Instruments and fills the precompiled cache, as an agent does when a module first arrives.
    }
    using var instance = new WorkloadInstance(engine, spec, new DiscardingSink(), options);
    var run = Task.Factory.StartNew(() => instance.Run(), TaskCreationOptions.LongRunning);
    await Task.Delay(1500);
    var timings = new List<CheckpointTiming>();
    for (var i = 0; i < 6; i++)
    {
        await instance.RequestCheckpoint(CheckpointMode.Continue, store);
        timings.Add(instance.LastCheckpointTiming!);
        await Task.Delay(100);
    }
    var paused = await instance.RequestCheckpoint(CheckpointMode.Pause, store);
    timings.Add(instance.LastCheckpointTiming!);
    instance.Discard();
    await run;

    Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"{args[0]} {string.Join(' ', args[1..])}: memory {paused.MemoryPages / 16.0:F1} MiB, non-zero {paused.Pages.Count / 16.0:F1} MiB, Asyncify stack {paused.Asyncify.StackBytes} B");
    Console.WriteLine("checkpoint  to-safe-point  capture  pause(ms)  write(ms)  pages  new-chunks  bytes-written  size/non-zero-memory");
    for (var i = 0; i < timings.Count; i++)
    {
        var t = timings[i];
        Console.WriteLine($"{(i == timings.Count - 1 ? "pause" : $"#{i + 1}"),-10}  {t.ToSafePoint.TotalMilliseconds,13:F2}  {t.Capture.TotalMilliseconds,7:F2}  {t.Pause.TotalMilliseconds,9:F2}  {t.Write.TotalMilliseconds,9:F1}  {t.NonZeroPages,5}  {t.NewChunks,10}  {t.BytesWritten,13}  {t.BytesWritten / (t.NonZeroPages * 65536.0),6:P0}");
    }
    Console.WriteLine("restore  total(ms)  verify  compile  instantiate  apply  rewind");
    for (var i = 0; i < 5; i++)
    {
        using var restored = await WorkloadInstance.RestoreAsync(engine, paused, store, instance.Module.Bytes, new DiscardingSink(), new RestoreOptions { Workload = options });
        using var stop = new CancellationTokenSource();
        var restoredRun = Task.Factory.StartNew(() => restored.Run(stop.Token), TaskCreationOptions.LongRunning);
        while (restored.LastRestoreTiming is null && !restoredRun.IsCompleted)
        {
            await Task.Delay(1);
        }
        stop.Cancel();
        await restoredRun;
        var t = restored.LastRestoreTiming!;
        Console.WriteLine($"#{i + 1,-7}  {t.Total.TotalMilliseconds,9:F2}  {t.Verify.TotalMilliseconds,6:F2}  {t.Compile.TotalMilliseconds,7:F2}  {t.Instantiate.TotalMilliseconds,11:F2}  {t.ApplyState.TotalMilliseconds,5:F2}  {t.Rewind.TotalMilliseconds,6:F2}");
    }
    return 0;
}
finally
{
    if (Directory.Exists(root))
    {
        Directory.Delete(root, recursive: true);
    }
}

static string? FindSamples()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "samples", "workloads");
        if (File.Exists(Path.Combine(candidate, "continuum.h")))
        {
            return candidate;
        }
    }
    return null;
}

namespace ContinuumControl.Bench.Checkpoint
{
    internal sealed class DiscardingSink : IOutputSink
    {
        public void Write(bool stderr, ReadOnlySpan<byte> data)
        {
        }
    }
}
