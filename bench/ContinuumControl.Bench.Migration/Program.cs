using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContinuumControl.Bench.Migration;
using ContinuumControl.Contracts.Api;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

switch (args)
{
    case ["--help" or "-h"]:
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    case ["kernels", .. var rest]:
        return await KernelBench.RunAsync(rest);
    case ["plot", .. var rest]:
        return DowntimePlot.Run(rest);
}

var opts = BenchOptions.Parse(args);
var root = RepoPaths.Root;
var serverDir = opts.ServerDir ?? Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0");
var modulePath = Path.Combine(root, "samples", "workloads", "working-set.wasm");
var module = await File.ReadAllBytesAsync(modulePath);
var workDir = Path.Combine(Path.GetTempPath(), "cc-mbench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(workDir);
Console.WriteLine($"work dir {workDir}; server build {serverDir}");
var loadBefore = Machine.LoadAverage();
var wall = Stopwatch.StartNew();

var report = new StringBuilder();
var baselines = new List<(int Mib, InProcessBaseline.Result Result)>();
var rows = new List<Row>();
var failed = false;
var stepsUsed = new Dictionary<int, int>();
var safety = "not run";
var coldDowntimes = new List<double>();
double? perStepSeconds = null;

var cluster = await LocalCluster.StartAsync(serverDir, workDir, ["bench-a", "bench-b"], opts.AgentMemoryMiB);
try
{
    var hash = await cluster.UploadAsync("working-set", module);
    if (opts.Warmup > 0)
    {
        // The first checkpoint and restore in each agent process run cold code (JIT, first Wasmtime deserialization):
        // measured here, reported apart, not mixed into the rows.
        var warmArgs = new[] { "40000", "1", opts.HotPages.ToString(CultureInfo.InvariantCulture), opts.Rounds.ToString(CultureInfo.InvariantCulture), "3" };
        var warmRef = await cluster.DeployAsync(hash, warmArgs, 33);
        await cluster.WaitFinishedAsync(warmRef.Id, 600);
        var warmExpected = await cluster.OutputAsync(warmRef.Id);
        var warm = await MigrateRepeatedlyAsync(cluster, hash, warmArgs, 33, 1, true, warmExpected, opts with { Migrations = opts.Warmup, PerRun = opts.Warmup });
        coldDowntimes.AddRange(warm.Done.Select(m => m.DowntimeMs ?? double.NaN));
        failed |= warm.Mismatches > 0;
        if (opts.Baseline)
        {
            await InProcessBaseline.RunAsync(module, warmArgs, 33L * 1024 * 1024, false, workDir, warmExpected);
        }
    }
    foreach (var mib in opts.Sizes)
    {
        var limitMiB = mib + 32;
        // Calibrate the step count on this (shared) machine once, on 1 MiB: a run lasts about --run-seconds plus
        // 1 s per 16 MiB (larger memories take longer to migrate), which leaves room for its migrations.
        var steps = opts.Steps;
        if (opts.RunSeconds > 0)
        {
            if (perStepSeconds is null)
            {
                const int probeSteps = 20000;
                var probeTimer = Stopwatch.StartNew();
                var probe = await cluster.DeployAsync(hash, [probeSteps.ToString(CultureInfo.InvariantCulture), "1", opts.HotPages.ToString(CultureInfo.InvariantCulture), opts.Rounds.ToString(CultureInfo.InvariantCulture), "2"], 33);
                await cluster.WaitFinishedAsync(probe.Id, 600);
                perStepSeconds = probeTimer.Elapsed.TotalSeconds / probeSteps;
            }
            steps = (int)Math.Clamp((opts.RunSeconds + mib / 16.0) / perStepSeconds.Value, 2000, 2_000_000) / 1000 * 1000;
            Console.WriteLine($"[{mib} MiB] {perStepSeconds * 1e3:0.000} ms per step -> {steps} steps per run");
        }
        var wargs = new[] { steps.ToString(CultureInfo.InvariantCulture), mib.ToString(CultureInfo.InvariantCulture), opts.HotPages.ToString(CultureInfo.InvariantCulture), opts.Rounds.ToString(CultureInfo.InvariantCulture), "1" };
        stepsUsed[mib] = steps;

        // Reference: the same workload, never migrated.
        var refTimer = Stopwatch.StartNew();
        var reference = await cluster.DeployAsync(hash, wargs, limitMiB);
        var refDone = await cluster.WaitFinishedAsync(reference.Id, 600);
        var expected = await cluster.OutputAsync(reference.Id);
        Console.WriteLine($"[{mib} MiB] reference run {refDone.State} in {refTimer.Elapsed.TotalSeconds:0.0} s, {expected.Length} bytes of output");
        if (refDone.State != WorkloadState.Completed)
        {
            throw new InvalidOperationException($"the reference run of {mib} MiB ended {refDone.State}: {refDone.FailureReason}");
        }

        if (opts.Baseline)
        {
            foreach (var preCopy in opts.Modes)
            {
                var b = await InProcessBaseline.RunAsync(module, wargs, limitMiB * 1024L * 1024, preCopy, workDir, expected);
                baselines.Add((mib, b));
                Console.WriteLine($"[{mib} MiB] in-process baseline pre-copy={preCopy}: pause->resumed {b.PauseToResumedMs:0.0} ms (capture {b.CaptureMs:0.0}, write {b.WriteMs:0.0}, load {b.LoadMs:0.0}, instantiate+apply {b.InstantiateApplyMs:0.0}), output {(b.OutputMatches ? "identical" : "DIFFERENT")}");
                failed |= !b.OutputMatches;
            }
        }

        foreach (var preCopy in opts.Modes)
        {
            var row = await MigrateRepeatedlyAsync(cluster, hash, wargs, limitMiB, mib, preCopy, expected, opts);
            rows.Add(row);
            failed |= row.Mismatches > 0;
        }
    }

    if (opts.SafetyCheck)
    {
        safety = await SafetyCheckAsync(cluster, hash, opts);
        failed |= !safety.StartsWith("passed", StringComparison.Ordinal);
    }

    var loadAfter = Machine.LoadAverage();
    Render(report, rows, baselines, loadBefore, loadAfter, opts, stepsUsed, wall.Elapsed);
    if (coldDowntimes.Count > 0)
    {
        report.AppendLine();
        report.AppendLine($"Warm-up (not in the table): the first {coldDowntimes.Count} migrations after the agents started (1 MiB, pre-copy; cold code paths in both agents) had downtimes of {string.Join(", ", coldDowntimes.Select(d => $"{d:0.0}"))} ms.");
    }
    report.AppendLine();
    report.AppendLine($"Safety check (target killed with SIGKILL while Restoring: the migration must abort, the source resume, the output stay identical): {safety}.");
}
catch (Exception ex)
{
    failed = true;
    Console.Error.WriteLine($"benchmark failed: {ex}");
    opts = opts with { Keep = true };
}
finally
{
    await cluster.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine(report.ToString());
if (opts.Markdown is { } md)
{
    await File.WriteAllTextAsync(md, report.ToString());
    Console.WriteLine($"written to {md}");
}
if (!opts.Keep && !failed)
{
    try
    {
        Directory.Delete(workDir, recursive: true);
    }
    catch (IOException)
    {
    }
}
else
{
    Console.WriteLine($"logs kept in {workDir}");
}
return failed ? 1 : 0;

static async Task<Row> MigrateRepeatedlyAsync(LocalCluster cluster, string hash, string[] wargs, int limitMiB, int mib, bool preCopy, byte[] expected, BenchOptions opts)
{
    var done = new List<MigrationDto>();
    var steps = new Dictionary<Guid, Dictionary<string, double>>();
    var aborted = new List<string>();
    int runs = 0, verified = 0, mismatches = 0;
    while (done.Count < opts.Migrations)
    {
        // A fresh seed per run: its cold pages are new to both agents and to the chunk store, so they really travel.
        var seed = Interlocked.Increment(ref seedCounter);
        var w = await cluster.DeployAsync(hash, [.. wargs[..4], seed.ToString(CultureInfo.InvariantCulture)], limitMiB);
        runs++;
        var thisRun = 0;
        // Migrate only once the memory is filled (the program prints its first line then).
        await cluster.WaitUntilAsync(async () => (await cluster.OutputAsync(w.Id)).Length > 0, TimeSpan.FromSeconds(120), "the workload to fill its memory");
        while (done.Count < opts.Migrations && thisRun < opts.PerRun)
        {
            await Task.Delay(opts.SettleMs);
            var current = await cluster.GetWorkloadAsync(w.Id);
            if (current.State != WorkloadState.Running || current.NodeId is not { } node)
            {
                break;
            }
            var target = cluster.NodeIds.Values.First(id => id != node);
            var before = await StepMetrics.ScrapeAsync(cluster.Api);
            var (started, refusal) = await cluster.MigrateAsync(w.Id, target, preCopy);
            if (started is null)
            {
                Console.WriteLine($"  refused: {refusal}");
                break;
            }
            var m = await cluster.WaitMigrationAsync(started.Id, 300);
            thisRun++;
            if (m.Phase == MigrationPhase.Completed)
            {
                done.Add(m);
                steps[m.Id] = await StepMetrics.SinceAsync(cluster.Api, before);
                Console.WriteLine($"  [{mib} MiB, pre-copy={preCopy}] #{done.Count}: downtime {m.DowntimeMs:0.0} ms, total {m.TotalMs:0} ms, {m.BytesMoved / 1048576.0:0.00} MiB moved");
            }
            else
            {
                aborted.Add($"{m.Phase}: {m.Reason}");
                Console.WriteLine($"  [{mib} MiB, pre-copy={preCopy}] {m.Phase}: {m.Reason}");
                if (aborted.Count > 5)
                {
                    throw new InvalidOperationException("more than 5 migrations did not complete");
                }
            }
        }
        var final = await cluster.WaitFinishedAsync(w.Id, 600);
        var output = await cluster.OutputAsync(w.Id);
        if (final.State == WorkloadState.Completed && output.AsSpan().SequenceEqual(expected))
        {
            verified++;
        }
        else
        {
            mismatches++;
            Console.WriteLine($"  OUTPUT MISMATCH for workload {w.Id}: {final.State}, {output.Length} vs {expected.Length} bytes");
        }
    }
    return new Row(mib, preCopy, done, steps, aborted, runs, verified, mismatches);
}

// A third agent that waits 4 s before restoring is killed once the migration reaches Restoring.
static async Task<string> SafetyCheckAsync(LocalCluster cluster, string hash, BenchOptions opts)
{
    const int mib = 1;
    var args = new[] { "40000", "1", opts.HotPages.ToString(CultureInfo.InvariantCulture), opts.Rounds.ToString(CultureInfo.InvariantCulture), "7" };
    var reference = await cluster.DeployAsync(hash, args, mib + 32);
    await cluster.WaitFinishedAsync(reference.Id, 600);
    var expected = await cluster.OutputAsync(reference.Id);
    cluster.StartAgent("bench-victim", opts.AgentMemoryMiB, "--Agent:Faults:DelayRestoreMs=4000");
    var victim = await cluster.WaitNodeReadyAsync("bench-victim");
    var w = await cluster.DeployAsync(hash, [.. args[..4], "8"], mib + 32);
    await cluster.WaitUntilAsync(async () => (await cluster.GetWorkloadAsync(w.Id)).State == WorkloadState.Running && (await cluster.OutputAsync(w.Id)).Length > 0, TimeSpan.FromSeconds(60), "the safety-check workload to run");
    var at = await cluster.GetWorkloadAsync(w.Id);
    if (at.NodeId == victim)
    {
        return "skipped (placed on the victim)";
    }
    var (m, refusal) = await cluster.MigrateAsync(w.Id, victim, true);
    if (m is null)
    {
        return $"FAILED: migration refused: {refusal}";
    }
    await cluster.WaitUntilAsync(async () => (await cluster.GetMigrationAsync(m.Id)).Phase is MigrationPhase.Restoring or MigrationPhase.Aborted or MigrationPhase.Failed or MigrationPhase.Completed, TimeSpan.FromSeconds(60), "the migration to reach Restoring");
    var phase = (await cluster.GetMigrationAsync(m.Id)).Phase;
    cluster.KillAgent("bench-victim");
    var done = await cluster.WaitMigrationAsync(m.Id, 120);
    var final = await cluster.WaitFinishedAsync(w.Id, 600);
    var output = await cluster.OutputAsync(w.Id);
    var identical = output.AsSpan().SequenceEqual(expected);
    var verdict = phase == MigrationPhase.Restoring && done.Phase == MigrationPhase.Aborted && final.State == WorkloadState.Completed && final.NodeId == at.NodeId && identical;
    return $"{(verdict ? "passed" : "FAILED")}: killed in {phase}; migration {done.Phase} ({done.Reason}); workload {final.State} on its source, output {(identical ? "identical" : "DIFFERENT")}";
}

static void Render(StringBuilder md, List<Row> rows, List<(int Mib, InProcessBaseline.Result Result)> baselines,
    string loadBefore, string loadAfter, BenchOptions opts, Dictionary<int, int> stepsUsed, TimeSpan elapsed)
{
    md.AppendLine($"Machine: {Machine.Describe()}");
    md.AppendLine($"Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. Run took {elapsed.TotalSeconds:0} s.");
    md.AppendLine($"Workload: `working-set.wasm <steps> <MiB> {opts.HotPages} {opts.Rounds} <seed>` ({opts.HotPages} hot 64 KiB pages, a fresh seed per run), {opts.Migrations} migrations per row, {opts.PerRun} per run (there and back between the two agents), {opts.SettleMs} ms between migrations; steps per run calibrated to ~{opts.RunSeconds} s + 1 s per 16 MiB: {string.Join(", ", stepsUsed.Select(kv => $"{kv.Key} MiB {kv.Value}"))}.");
    md.AppendLine();
    md.AppendLine("| Memory in use | Pre-copy | n | Downtime ms (median / p90 / max) | Total ms (median / p90 / max) | Moved MiB (median) | Not completed | Output identical | Target |");
    md.AppendLine("|---|---|---|---|---|---|---|---|---|");
    foreach (var r in rows)
    {
        var down = Stats.Of(r.Done.Select(m => m.DowntimeMs ?? double.NaN));
        var total = Stats.Of(r.Done.Select(m => m.TotalMs ?? double.NaN));
        var moved = Stats.Of(r.Done.Select(m => m.BytesMoved / 1048576.0));
        double? target = (r.Mib, r.PreCopy) switch { (1, true) => 15, (64, true) => 60, _ => null };
        var verdict = target is { } t ? (down.Median <= t ? $"≤ {t} ms: met (median)" : $"≤ {t} ms: missed") : "—";
        md.AppendLine($"| {r.Mib} MiB | {(r.PreCopy ? "yes" : "no")} | {down.Count} | {down.Ms} | {total.Ms} | {moved.Median:0.00} | {r.Aborted.Count} | {r.Verified}/{r.Runs} runs | {verdict} |");
    }
    if (baselines.Count > 0)
    {
        md.AppendLine();
        md.AppendLine("Baseline, same run: checkpoint (Pause) + restore in one process with the runtime library and a local file chunk store (no network, no control plane, module already compiled):");
        md.AppendLine();
        md.AppendLine("| Memory in use | Pre-copy | Pause -> resumed ms | to safe point | capture | hash+compress+write | read+verify+load | instantiate+copy | new chunks | Output identical |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (mib, b) in baselines)
        {
            md.AppendLine($"| {mib} MiB | {(b.PreCopy ? "yes" : "no")} | {b.PauseToResumedMs:0.0} | {b.ToSafePointMs:0.0} | {b.CaptureMs:0.0} | {b.WriteMs:0.0} | {b.LoadMs:0.0} | {b.InstantiateApplyMs:0.0} | {b.NewChunks} | {(b.OutputMatches ? "yes" : "NO")} |");
        }
    }
    md.AppendLine();
    md.AppendLine("Downtime breakdown, median ms per step (from the server's `/metrics`: the growth of `continuum_migration_step_duration_seconds_sum` per step across each migration; steps in order, source pause to target resume):");
    md.AppendLine();
    md.AppendLine($"| Step | {string.Join(" | ", rows.Select(r => $"{r.Mib} MiB {(r.PreCopy ? "pre-copy" : "stop-copy")}"))} |");
    md.AppendLine($"|---|{string.Concat(rows.Select(_ => "---|"))}");
    foreach (var (ev, label) in StepMetrics.Segments)
    {
        var cells = rows.Select(r =>
        {
            var values = r.Done.Select(m => r.Steps.TryGetValue(m.Id, out var e) ? e.GetValueOrDefault(ev, double.NaN) : double.NaN);
            var s = Stats.Of(values);
            return s.Count == 0 ? "—" : $"{s.Median:0.0}";
        });
        md.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
    }
    var downCells = rows.Select(r => $"{Stats.Of(r.Done.Select(m => m.DowntimeMs ?? double.NaN)).Median:0.0}");
    md.AppendLine($"| **downtime (API, median)** | {string.Join(" | ", downCells)} |");
    var aborted = rows.SelectMany(r => r.Aborted.Select(a => $"{r.Mib} MiB pre-copy={r.PreCopy}: {a}")).ToList();
    if (aborted.Count > 0)
    {
        md.AppendLine();
        md.AppendLine("Not completed: " + string.Join("; ", aborted));
    }
}


internal static partial class Program
{
    private static long seedCounter = 1000;
}

internal sealed record Row(int Mib, bool PreCopy, List<MigrationDto> Done, Dictionary<Guid, Dictionary<string, double>> Steps, List<string> Aborted, int Runs, int Verified, int Mismatches);

internal sealed record BenchOptions
{
    public int[] Sizes { get; init; } = [1, 64, 256];
    public bool[] Modes { get; init; } = [true, false];
    public int Migrations { get; init; } = 8;
    public int PerRun { get; init; } = 2;
    public int Steps { get; init; } = 20000;
    public double RunSeconds { get; init; } = 8;
    public int HotPages { get; init; } = 4;
    public int Rounds { get; init; } = 8;
    public int SettleMs { get; init; } = 300;
    public int AgentMemoryMiB { get; init; } = 2048;
    public bool Baseline { get; init; } = true;
    public bool SafetyCheck { get; init; } = true;
    public int Warmup { get; init; } = 2;
    public bool Keep { get; init; }
    public string? Markdown { get; init; }
    public string? ServerDir { get; init; }

    public const string Usage = """
        Migration benchmark: real control plane + two real agents on loopback; downtime steps from the server's /metrics.
          dotnet run -c Release --project bench/ContinuumControl.Bench.Migration -- [options]
            --sizes 1,64,256        memory in use per row, MiB
            --modes precopy,stop    pre-copy and/or stop-and-copy rows
            --migrations 8          completed migrations per row; --per-run 2 per workload run
            --steps N | --run-seconds 8   workload length (fixed steps, or calibrated seconds)
            --hot-pages 4  --rounds 8  --settle-ms 300  --agent-memory-mib 2048  --warmup 2
            --no-baseline           skip the in-process checkpoint/restore baseline
            --no-safety-check       skip the kill-the-target-while-Restoring check
            --markdown FILE  --keep  --server-dir DIR
          ... -- kernels [--only a,b --migrations N --per-run N --seed N --stop-copy --csv FILE --markdown FILE]
          ... -- plot    (SVG from result files)
        See docs/benchmarks.md.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--sizes" => o with { Sizes = Next().Split(',').Select(int.Parse).ToArray() },
                "--modes" => o with { Modes = Next().Split(',').Select(m => m switch { "precopy" => true, "stop" => false, _ => throw new ArgumentException("--modes takes precopy,stop") }).ToArray() },
                "--migrations" => o with { Migrations = int.Parse(Next()) },
                "--per-run" => o with { PerRun = int.Parse(Next()) },
                "--steps" => o with { Steps = int.Parse(Next()), RunSeconds = 0 },
                "--run-seconds" => o with { RunSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--hot-pages" => o with { HotPages = int.Parse(Next()) },
                "--rounds" => o with { Rounds = int.Parse(Next()) },
                "--settle-ms" => o with { SettleMs = int.Parse(Next()) },
                "--agent-memory-mib" => o with { AgentMemoryMiB = int.Parse(Next()) },
                "--no-baseline" => o with { Baseline = false },
                "--no-safety-check" => o with { SafetyCheck = false },
                "--warmup" => o with { Warmup = int.Parse(Next()) },
                "--keep" => o with { Keep = true },
                "--markdown" => o with { Markdown = Next() },
                "--server-dir" => o with { ServerDir = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}; see docs/benchmarks.md"),
            };
        }
        return o;
    }
}

internal static class Machine
{
    public static string LoadAverage() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} CPUs ({cpu}), {long.Parse(memKb) / 1024 / 1024} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
