using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using System.Diagnostics;
using System.Globalization;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// The <c>kernels</c> mode: the compute kernels of bench/kernels (factorizations, stencils, dynamic programming,
/// reductions, sorting, a long call-free loop) each run once unmigrated for the reference output, then again with
/// migrations at seeded random moments between the two real agents; every migrated run's output is compared byte
/// for byte with the reference. Downtime is the product's own (source paused -> target running, from the API).
/// </summary>
internal static class KernelBench
{
    private const int MemoryLimitMiB = 48;

    public static async Task<int> RunAsync(string[] args)
    {
        var opts = KernelOptions.Parse(args);
        var root = RepoPaths.Root;
        var serverDir = opts.ServerDir ?? Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0");
        var kernels = Directory.GetFiles(Path.Combine(root, "bench", "kernels"), "*.wasm").Order(StringComparer.Ordinal)
            .Select(p => (Name: Path.GetFileNameWithoutExtension(p), Path: p))
            .Where(k => opts.Only is null || opts.Only.Contains(k.Name))
            .ToList();
        if (kernels.Count == 0)
        {
            throw new ArgumentException("no kernels found in bench/kernels (run bench/kernels/build.sh) or none matches --only");
        }
        var workDir = Path.Combine(Path.GetTempPath(), "cc-kbench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(workDir);
        Console.WriteLine($"work dir {workDir}; server build {serverDir}; {kernels.Count} kernels");
        var loadBefore = Machine.LoadAverage();
        var wall = Stopwatch.StartNew();
        var random = new Random(opts.Seed);
        var pending = new List<(string Kernel, int Run, double At, Guid Migration, double DowntimeMs, double TotalMs, Dictionary<string, double> Steps)>();
        var warm = new List<double>();
        var references = new Dictionary<string, (byte[] Output, double Seconds)>();
        var verified = new Dictionary<string, (int Runs, int Identical)>();
        var failures = new List<string>();
        var failed = false;
        var cluster = await LocalCluster.StartAsync(serverDir, workDir, ["bench-a", "bench-b"], opts.AgentMemoryMiB);
        try
        {
            var hashes = new Dictionary<string, string>();
            foreach (var (name, path) in kernels)
            {
                hashes[name] = await cluster.UploadAsync(name, await File.ReadAllBytesAsync(path));
            }
            foreach (var (name, _) in kernels)
            {
                // Untimed first run: it fetches and compiles the module on its agent (the migration target's Preparing
                // phase compiles it on the other). Then deploy -> finished, the clock the migrated runs' moments use.
                var (cold, _) = await MigrateRunAsync(cluster, hashes[name], name, [], opts.PreCopy, failures);
                await cluster.WaitFinishedAsync(cold, 600);
                var timer = Stopwatch.StartNew();
                var (w, _) = await MigrateRunAsync(cluster, hashes[name], name, [], opts.PreCopy, failures);
                var done = await cluster.WaitFinishedAsync(w, 600);
                if (done.State != WorkloadState.Completed)
                {
                    throw new InvalidOperationException($"the reference run of {name} ended {done.State}: {done.FailureReason}");
                }
                references[name] = (await cluster.OutputAsync(w), timer.Elapsed.TotalSeconds);
                verified[name] = (0, 0);
                Console.WriteLine($"[{name}] reference {references[name].Seconds:0.0} s, {references[name].Output.Length} bytes of output");
            }

            if (opts.Warmup > 0)
            {
                // The first migrations after the agents start run cold code (JIT, first restore): reported apart.
                var first = kernels[0].Name;
                var w = await MigrateRunAsync(cluster, hashes[first], first, [.. Enumerable.Range(1, opts.Warmup).Select(i => 0.3 * i)], opts.PreCopy, failures);
                warm.AddRange(w.Done.Select(d => d.DowntimeMs));
                failed |= !await SameOutputAsync(cluster, w.Workload, references[first].Output);
            }

            // Round after round over the kernels until enough migrations completed (a short kernel may end before its moments).
            for (var run = 0; run < 30 && pending.Count < opts.Migrations; run++)
            {
                foreach (var (name, _) in kernels)
                {
                    if (pending.Count >= opts.Migrations)
                    {
                        break;
                    }
                    // Seeded random moments within 5-70% of the reference run (from the deploy): the reference also paid for
                    // the first compilation, and each migration lengthens the run a little.
                    var seconds = references[name].Seconds;
                    var moments = Enumerable.Range(0, opts.PerRun).Select(_ => (0.05 + 0.65 * random.NextDouble()) * seconds).Order().ToArray();
                    var r = await MigrateRunAsync(cluster, hashes[name], name, moments, opts.PreCopy, failures);
                    pending.AddRange(r.Done.Select(d => (name, run, d.At, d.Id, d.DowntimeMs, d.TotalMs, d.Steps)));
                    var same = await SameOutputAsync(cluster, r.Workload, references[name].Output);
                    var (runs, identical) = verified[name];
                    verified[name] = (runs + 1, identical + (same ? 1 : 0));
                    failed |= !same;
                    Console.WriteLine($"[{name}] run {run}: {string.Join(", ", r.Done.Select(d => $"{d.DowntimeMs:0.0} ms"))}; output {(same ? "identical" : "DIFFERENT")} ({pending.Count}/{opts.Migrations})");
                }
            }
            // Migrations that did not complete are reported, not failed: at a random moment the kernel may just have
            // finished (the source no longer runs it) or be between two placements; every one resumed its source.
        }
        catch (Exception ex)
        {
            failed = true;
            Console.Error.WriteLine($"benchmark failed: {ex}");
        }
        await cluster.DisposeAsync();

        var samples = pending.Select(p => new KernelSample(p.Kernel, p.Run, p.At, p.DowntimeMs, p.Steps.GetValueOrDefault(StepMetrics.ToSafePoint, double.NaN), p.TotalMs,
            p.Steps.Where(s => s.Key != StepMetrics.ToSafePoint).ToDictionary())).ToList();
        if (opts.Csv is { } csv)
        {
            KernelSample.WriteCsv(csv, samples);
            Console.WriteLine($"samples written to {csv}");
        }
        var report = KernelReport.Render(samples, references, verified, warm, failures, opts, loadBefore, Machine.LoadAverage(), wall.Elapsed);
        Console.WriteLine();
        Console.WriteLine(report);
        if (opts.Markdown is { } md)
        {
            await File.WriteAllTextAsync(md, report);
        }
        if (!opts.Keep && !failed)
        {
            Directory.Delete(workDir, recursive: true);
        }
        else
        {
            Console.WriteLine($"logs kept in {workDir}");
        }
        return failed ? 1 : 0;
    }

    private sealed record Done(Guid Id, double At, double DowntimeMs, double TotalMs, Dictionary<string, double> Steps);

    /// <summary>Starts the kernel and migrates it to the other agent at each moment (seconds after the deploy).</summary>
    private static async Task<(Guid Workload, List<Done> Done)> MigrateRunAsync(LocalCluster cluster, string hash, string name, double[] moments, bool preCopy, List<string> failures)
    {
        var clock = Stopwatch.StartNew();
        var w = await cluster.DeployAsync(hash, [], MemoryLimitMiB, name);
        var done = new List<Done>();
        foreach (var at in moments)
        {
            var wait = at - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }
            var current = await cluster.GetWorkloadAsync(w.Id);
            while (current.State is WorkloadState.Pending or WorkloadState.Queued)
            {
                await Task.Delay(20);
                current = await cluster.GetWorkloadAsync(w.Id);
            }
            if (current.State != WorkloadState.Running || current.NodeId is not { } node)
            {
                break;
            }
            var target = cluster.NodeIds.Values.First(id => id != node);
            var requestedAt = clock.Elapsed.TotalSeconds;
            var before = await StepMetrics.ScrapeAsync(cluster.Api);
            var (started, refusal) = await cluster.MigrateAsync(w.Id, target, preCopy);
            if (started is null)
            {
                Console.WriteLine($"  [{name}] refused: {refusal}");
                break;
            }
            var m = await cluster.WaitMigrationAsync(started.Id, 300);
            if (m.Phase == MigrationPhase.Completed)
            {
                done.Add(new Done(m.Id, requestedAt, m.DowntimeMs ?? double.NaN, m.TotalMs ?? double.NaN, await StepMetrics.SinceAsync(cluster.Api, before)));
            }
            else
            {
                failures.Add($"{name}: {m.Phase} ({m.Reason})");
                Console.WriteLine($"  [{name}] {m.Phase}: {m.Reason}");
            }
        }
        return (w.Id, done);
    }

    private static async Task<bool> SameOutputAsync(LocalCluster cluster, Guid workload, byte[] expected)
    {
        var final = await cluster.WaitFinishedAsync(workload, 600);
        var output = await cluster.OutputAsync(workload);
        return final.State == WorkloadState.Completed && output.AsSpan().SequenceEqual(expected);
    }
}

