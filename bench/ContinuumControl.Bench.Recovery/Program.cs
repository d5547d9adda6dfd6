using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ContinuumControl.Bench.Migration;
using ContinuumControl.Contracts.Api;

// Node loss -> workload running again elsewhere. Usage:
//   dotnet run -c Release --project bench/ContinuumControl.Bench.Recovery -- [--trials 5] [--ttl 3] [--grace 1] [--mib 1,64] [--markdown file]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var trials = IntArg("--trials", 5);
var ttl = IntArg("--ttl", 3);
var grace = IntArg("--grace", 1);
var sizes = (Arg("--mib") ?? "1,64").Split(',').Select(int.Parse).ToArray();
var markdown = Arg("--markdown");
var root = RepoPaths.Root;
var serverDir = Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0");
var module = await File.ReadAllBytesAsync(Path.Combine(root, "samples", "workloads", "working-set.wasm"));
var workDir = Path.Combine(Path.GetTempPath(), "cc-rbench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(workDir);
Console.WriteLine($"work dir {workDir}; TTL {ttl} s + grace {grace} s; {trials} trials per size");

string[] names = ["rec-a", "rec-b"];
await using var cluster = await LocalCluster.StartAsync(serverDir, workDir, names, 2048,
[
    $"--Server:HeartbeatTtlSeconds={ttl}", $"--Server:HeartbeatGraceSeconds={grace}",
    "--Orchestration:Policies:NodeDown:CheckpointIntervalSeconds=1",
    "--Orchestration:Policies:Rebalance:Enabled=false", "--Orchestration:Policies:EnergyLow:Enabled=false", "--Orchestration:Policies:Offload:Enabled=false",
]);
var hash = await cluster.UploadAsync("working-set", module);
var rows = new List<(int Mib, Stats Detect, Stats Running, Stats Restore, double Target, int Ok)>();
foreach (var mib in sizes)
{
    var detect = new List<double>();
    var running = new List<double>();
    var restore = new List<double>();
    var ok = 0;
    for (var trial = 0; trial < trials; trial++)
    {
        var wargs = new[] { "200000", mib.ToString(CultureInfo.InvariantCulture), "4", "8", (trial + 1).ToString(CultureInfo.InvariantCulture) };
        var w = await cluster.DeployAsync(hash, wargs, mib + 32);
        await cluster.WaitUntilAsync(async () => (await cluster.GetWorkloadAsync(w.Id)) is { State: WorkloadState.Running, CheckpointedAt: not null }, TimeSpan.FromSeconds(120), "a periodic checkpoint");
        var before = await cluster.GetWorkloadAsync(w.Id);
        var victim = before.NodeName!;
        var killed = Stopwatch.StartNew();
        cluster.KillAgent(victim);
        double? downAt = null;
        WorkloadDto now = before;
        while (killed.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (downAt is null && (await cluster.Api.GetFromJsonAsync<List<NodeDto>>("/api/nodes"))!.Single(n => n.Name == victim).State == NodeState.Down)
            {
                downAt = killed.Elapsed.TotalMilliseconds;
            }
            now = await cluster.GetWorkloadAsync(w.Id);
            if (now.NodeName != victim && now.State == WorkloadState.Running)
            {
                break;
            }
            await Task.Delay(20);
        }
        var elapsed = killed.Elapsed.TotalMilliseconds;
        if (now.NodeName != victim && now.State == WorkloadState.Running)
        {
            ok++;
            detect.Add(downAt ?? double.NaN);
            running.Add(elapsed);
            restore.Add(elapsed - (downAt ?? elapsed));
            Console.WriteLine($"[{mib} MiB] #{trial + 1}: Down after {downAt:0} ms, running on {now.NodeName} after {elapsed:0} ms");
        }
        else
        {
            Console.WriteLine($"[{mib} MiB] #{trial + 1}: NOT recovered within 120 s ({now.State} on {now.NodeName})");
        }
        await cluster.Api.PostAsync($"/api/workloads/{w.Id}/stop", null);
        cluster.StartAgent(victim, 2048);
        await cluster.WaitNodeReadyAsync(victim);
    }
    var restoreStats = Stats.Of(restore);
    rows.Add((mib, Stats.Of(detect), Stats.Of(running), restoreStats, 2 * ttl * 1000 + restoreStats.Median, ok));
}

var md = new StringBuilder();
md.AppendLine($"Heartbeat TTL {ttl} s, grace {grace} s, periodic checkpoints every 1 s, `working-set.wasm` (4 hot pages), {trials} kills per size, {Environment.ProcessorCount} cores.");
md.AppendLine();
md.AppendLine("| Memory in use | Recovered | Kill -> node Down ms (median / p90 / max) | Kill -> running elsewhere ms (median / p90 / max) | Down -> running ms (median) | Target 2 x TTL + restore ms | Met |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in rows)
{
    md.AppendLine($"| {r.Mib} MiB | {r.Ok}/{trials} | {r.Detect.Ms} | {r.Running.Ms} | {r.Restore.Median:0} | {r.Target:0} | {(r.Ok == trials && r.Running.Max <= r.Target ? "yes" : "no")} |");
}
Console.WriteLine(md);
if (markdown is not null)
{
    await File.WriteAllTextAsync(markdown, md.ToString());
}
return rows.All(r => r.Ok == trials) ? 0 : 1;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int IntArg(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

