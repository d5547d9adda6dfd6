using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContinuumControl.Bench.Scheduling;
using ContinuumControl.Bench.Scheduling.Baseline;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Scheduling;
using ContinuumControl.Scheduling.Configuration;
using ContinuumControl.Domain.Orchestration;

// dotnet run -c Release --project bench/ContinuumControl.Bench.Scheduling -- [--nodes 10000] [--workloads 100000] [--markdown file]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var nodes = IntArg("--nodes", 10_000);
var workloads = IntArg("--workloads", 100_000);
var baselineCount = IntArg("--baseline-workloads", 5_000);
var markdown = Arg("--markdown");
var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
var scheduler = new Scheduler(SchedulerConfiguration.Default, TimeProvider.System);
var applier = new PlanApplier(SchedulerConfiguration.Default);

// Warm-up: JIT and caches, not measured.
Place(new SimulatedCluster(1_000, 7), 2_000, out _);

var cluster = new SimulatedCluster(nodes, 1);
var total = Stopwatch.StartNew();
var latencies = Place(cluster, workloads, out var refused);
total.Stop();
var perSecond = workloads / total.Elapsed.TotalSeconds;

// Baseline in the same run: the foundation's FirstPlacement, which filters and compares every node for every placement.
var baseCluster = new SimulatedCluster(nodes, 1);
var first = new FirstPlacement();
var baseTimer = Stopwatch.StartNew();
for (var i = 0; i < baselineCount; i++)
{
    var w = SimulatedCluster.NewWorkload(i);
    var decision = first.Choose(baseCluster.Nodes, w.Request);
    if (decision.Node is { } node)
    {
        baseCluster.Commit(w, node.Id);
    }
}
baseTimer.Stop();
var basePerSecond = baselineCount / baseTimer.Elapsed.TotalSeconds;

// Rebalance at full size: crowd the first 500 nodes, then plan.
var skewed = new SimulatedCluster(nodes, 2);
for (var i = 0; i < workloads; i++)
{
    var w = SimulatedCluster.NewWorkload(i) with { Constraints = new(null, new Dictionary<string, string>()) };
    skewed.Commit(w, skewed.Nodes[i % 500 * 20 % nodes].Class == NodeClass.Cloud ? skewed.Nodes[(i % 500 * 20) + 1].Id : skewed.Nodes[i % 500 * 20].Id);
}
var rebalanceTimes = new List<double>();
Plan? rebalance = null;
for (var run = 0; run < 5; run++)
{
    var snapshot = skewed.Snapshot(now);
    var t = Stopwatch.StartNew();
    rebalance = scheduler.Process(new Evaluation(Guid.NewGuid(), EvaluationTrigger.Rebalance, "bench"), snapshot);
    rebalanceTimes.Add(t.Elapsed.TotalMilliseconds);
}
rebalanceTimes.Sort();

latencies.Sort();
double P(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
var md = new StringBuilder();
md.AppendLine($"{nodes:N0} simulated nodes (10 % cloud with 64 slots, 90 % edge with 16, 50 zones, 18 % harvesting energy), {workloads:N0} workloads placed one Submitted evaluation at a time, each plan re-checked by the PlanApplier and committed to the in-memory cluster; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
md.AppendLine();
md.AppendLine("| Measure | Result | Target |");
md.AppendLine("|---|---|---|");
md.AppendLine($"| Placements/s (Scheduler, MaxCandidates {SchedulerConfiguration.Default.Options.MaxCandidates}) | {perSecond:N0} | >= 2,000 |");
md.AppendLine($"| Per placement, p50 / p99 / max (plan + applier check) | {P(0.5) * 1000:0} / {P(0.99) * 1000:0} / {latencies[^1] * 1000:0} µs | |");
md.AppendLine($"| Refused (nothing fits) | {refused:N0} | |");
md.AppendLine($"| Baseline: FirstPlacement, every node filtered per placement ({baselineCount:N0} placements) | {basePerSecond:N0}/s | |");
md.AppendLine($"| Ratio Scheduler / baseline | {perSecond / basePerSecond:0.0}x | |");
md.AppendLine($"| Rebalance plan at {workloads:N0} workloads (median of 5; {rebalance!.Migrations.Count} migrations planned, capped by MaxConcurrentPerCluster) | {rebalanceTimes[2]:0} ms | |");
Console.WriteLine(md);
if (markdown is not null)
{
    await File.WriteAllTextAsync(markdown, md.ToString());
}
return perSecond >= 2000 ? 0 : 1;

List<double> Place(SimulatedCluster target, int count, out int refusedCount)
{
    refusedCount = 0;
    var samples = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var w = SimulatedCluster.NewWorkload(i);
        var start = Stopwatch.GetTimestamp();
        var evaluation = new Evaluation(w.Id, EvaluationTrigger.Submitted, "bench", WorkloadId: w.Id);
        var plan = scheduler.Process(evaluation, target.SnapshotFor(w, now));
        var check = applier.Check(plan, target.SnapshotFor(w, now));
        foreach (var p in check.Placements)
        {
            target.Commit(w, p.NodeId);
        }
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        refusedCount += plan.Refusals.Count;
    }
    return samples;
}

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int IntArg(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
