using ContinuumControl.Domain.Nodes;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>Orchestrates one benchmark run: database, server, agents, steps, end check, report.</summary>
public static class HeartbeatBench
{
    private const double TargetHeartbeatsPerSecond = 10_000;
    private const double TargetP99Ms = 50;

    /// <summary>A step paced at exactly 10,000/s lands a few heartbeats either side of it; 0.5% counts as on target.</summary>
    private const double PacingTolerance = 0.005;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var serverDll = options.ServerDll ?? DefaultServerDll();
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"Server build not found at {serverDll}; build it first: dotnet build -c Release src/ContinuumControl.Server");
            return 2;
        }
        var workDir = Directory.CreateTempSubdirectory("ccbench-").FullName;
        Log($"work folder {workDir}; server {serverDll}");
        var joinToken = "join-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var apiToken = "cc_bench" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var runId = "bench" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

        var background = await BackgroundLoadAsync();
        Log($"machine busy before the run (other processes): {background:0}% of all {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var keep = options.Keep;
        LocalPostgres? postgres = null;
        ServerProcess? server = null;
        AgentSwarm? swarm = null;
        NodesReader? reader = null;
        try
        {
            string connectionString;
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                var sw = Stopwatch.StartNew();
                postgres = LocalPostgres.Start(workDir);
                connectionString = postgres.ConnectionString;
                Log($"PostgreSQL started on 127.0.0.1:{postgres.Port} in {sw.Elapsed.TotalSeconds:0.0} s (fsync off)");
            }
            else
            {
                connectionString = options.ConnectionString;
                Log("using the given PostgreSQL database");
            }

            server = ServerProcess.Start(serverDll, workDir, connectionString, joinToken, apiToken, options.FlushMilliseconds);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
            await server.WaitHealthyAsync(http, TimeSpan.FromSeconds(120));
            Log($"server pid {server.Pid} healthy at {server.BaseUrl}");

            var connect = Stopwatch.StartNew();
            swarm = new AgentSwarm(runId);
            await swarm.ConnectAsync(server.BaseUrl, joinToken, options.Agents, options.ConnectConcurrency);
            Log($"{options.Agents} agents connected and registered in {connect.Elapsed.TotalSeconds:0.0} s");

            reader = new NodesReader(server.BaseUrl, apiToken, options.ReadsPerSecond);
            reader.Start();

            var steps = new List<StepResult>();
            foreach (var rate in options.Rates)
            {
                var step = await RunStepAsync(options, rate, swarm, reader, server.Pid, postgres is null ? null : postgres.PostmasterPid);
                steps.Add(step);
                Log(step.Summary());
                if (server.HasExited)
                {
                    throw new InvalidOperationException("the server exited during the run; see server.log");
                }
            }

            var check = await VerifyAsync(http, server.BaseUrl, swarm, options.FlushMilliseconds);
            Log(check.Summary);
            var report = Report(options, steps, check, reader.LastBodyBytes, swarm, background);
            Console.WriteLine();
            Console.WriteLine(report);
            if (options.MarkdownOut is { } path)
            {
                await File.WriteAllTextAsync(path, report);
                Log($"results written to {path}");
            }
            return check.Ok ? 0 : 1;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"benchmark failed: {ex.Message}");
            Console.Error.WriteLine($"logs: {workDir}");
            keep = true;
            return 1;
        }
        finally
        {
            reader?.Dispose();
            if (swarm is not null)
            {
                await swarm.DisposeAsync();
            }
            server?.Dispose();
            postgres?.Dispose();
            if (!keep)
            {
                TryDelete(workDir);
            }
            else
            {
                Log($"kept {workDir}");
            }
        }
    }

    private static async Task<StepResult> RunStepAsync(BenchOptions options, int rate, AgentSwarm swarm, NodesReader reader, int serverPid, int? postgresPid)
    {
        var label = rate == BenchOptions.Unpaced ? "unpaced" : rate.ToString("N0", CultureInfo.InvariantCulture) + "/s";
        Log($"step {label}: {options.WarmupSeconds} s warm-up, {options.DurationSeconds} s measured");
        using var stop = new CancellationTokenSource();
        var drive = swarm.DriveAsync(rate, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));

        var cpu0 = CpuReading.Take(serverPid, postgresPid);
        var (acked0, unknown0, errors0) = (swarm.Acked, swarm.Unknown, swarm.Errors);
        var clock = Stopwatch.StartNew();
        swarm.RecordLatency(true);
        reader.Collect(true);

        await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds));

        var reads = reader.Collect(false) ?? [];
        swarm.RecordLatency(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var (acked1, unknown1, errors1) = (swarm.Acked, swarm.Unknown, swarm.Errors);
        var cpu1 = CpuReading.Take(serverPid, postgresPid);
        await stop.CancelAsync();
        await drive;

        return new StepResult(
            label,
            rate,
            (acked1 - acked0) / seconds,
            unknown1 - unknown0,
            errors1 - errors0,
            swarm.RoundTrips(),
            Percentiles.Of(reads),
            CpuReading.Between(cpu0, cpu1));
    }

    private static async Task<EndCheck> VerifyAsync(HttpClient http, Uri baseUrl, AgentSwarm swarm, int flushMs)
    {
        // Two flush intervals and a margin: the last heartbeat of every agent must have been written by then.
        await Task.Delay(TimeSpan.FromMilliseconds((flushMs * 2) + 500));
        var nodes = await http.GetFromJsonAsync<List<NodeDto>>(new Uri(baseUrl, "/api/nodes")) ?? [];
        var now = DateTimeOffset.UtcNow;
        var byId = nodes.ToDictionary(n => n.Id);
        int found = 0, ready = 0, latest = 0, recent = 0;
        var oldest = TimeSpan.Zero;
        foreach (var agent in swarm.Agents)
        {
            if (!byId.TryGetValue(agent.NodeId, out var node))
            {
                continue;
            }
            found++;
            ready += node.State == NodeState.Ready ? 1 : 0;
            latest += node.MemoryUsedBytes == agent.LastAcked ? 1 : 0;
            var age = now - node.LastHeartbeatAt;
            oldest = age > oldest ? age : oldest;
            recent += age < TimeSpan.FromSeconds(5) ? 1 : 0;
        }
        var n = swarm.Agents.Count;
        var ok = found == n && ready == n && latest == n && recent == n && swarm.Closed == 0;
        var summary = $"end check: {found}/{n} nodes listed, {ready} Ready, {latest} with their last acknowledged heartbeat stored, " +
            $"{recent} with LastHeartbeatAt under 5 s old (oldest {oldest.TotalSeconds:0.0} s), {swarm.Closed} connections lost -> {(ok ? "OK" : "FAILED")}";
        return new EndCheck(ok, summary);
    }

    /// <summary>How busy the machine is before the benchmark starts anything: other users' work skews every number.</summary>
    private static async Task<double> BackgroundLoadAsync()
    {
        var (busy0, total0) = ProcessCpu.Machine();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (busy1, total1) = ProcessCpu.Machine();
        return 100 * (busy1 - busy0) / (total1 - total0);
    }

    private static string Report(BenchOptions options, List<StepResult> steps, EndCheck check, long bodyBytes, AgentSwarm swarm, double background)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Machine: {Environment.ProcessorCount} cores, busy {background:0}% with other processes in the 3 s before the run.");
        sb.AppendLine(inv, $"Agents: {options.Agents} (SignalR/WebSockets, JSON), steps: {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s measured, " +
            $"GET /api/nodes {options.ReadsPerSecond}/s (body {bodyBytes / 1024.0:0} KiB), flush every {options.FlushMilliseconds} ms.");
        sb.AppendLine(inv, $"Targets: >= {TargetHeartbeatsPerSecond:N0} acked heartbeats/s (0.5% pacing tolerance) with GET /api/nodes p99 <= {TargetP99Ms} ms.");
        sb.AppendLine(inv, $"CPU in % of one core ({Environment.ProcessorCount * 100}% = all {Environment.ProcessorCount} cores); other = processes outside this benchmark; machine = share of all cores busy.");
        sb.AppendLine();
        sb.AppendLine("| Target hb/s | Acked hb/s | hb RTT p50 / p99 ms | GET /api/nodes n | p50 ms | p95 ms | p99 ms | max ms | Server CPU | PostgreSQL CPU | Load gen CPU | Other CPU | Machine busy | Targets |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in steps)
        {
            var rateOk = s.AckedPerSecond >= TargetHeartbeatsPerSecond * (1 - PacingTolerance);
            var p99Ok = s.Reads.P99 <= TargetP99Ms;
            var verdict = (rateOk, p99Ok) switch
            {
                (true, true) => "**met**",
                (true, false) => "p99 missed",
                (false, true) => "p99 ok, rate below 10k",
                (false, false) => "p99 missed, rate below 10k",
            };
            sb.AppendLine(inv, $"| {s.Label} | {s.AckedPerSecond:N0} | {s.RoundTrips.P50:0.0} / {s.RoundTrips.P99:0.0} | {s.Reads.Count} | {s.Reads.P50:0.0} | {s.Reads.P95:0.0} | {s.Reads.P99:0.0} | {s.Reads.Max:0.0} | " +
                $"{s.Cpu.Server:0}% | {Pct(s.Cpu.Postgres)} | {s.Cpu.LoadGenerator:0}% | {s.Cpu.Others:0}% | {s.Cpu.MachineBusy:0}% | {verdict} |");
        }
        sb.AppendLine();
        var errors = steps.Sum(s => s.Errors);
        var unknown = steps.Sum(s => s.Unknown);
        sb.AppendLine(inv, $"Heartbeats answered 'unknown node': {unknown}; failed invocations: {errors}; connections lost: {swarm.Closed}.");
        sb.AppendLine(check.Summary);
        return sb.ToString();
    }

    private static string Pct(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string DefaultServerDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContinuumControl.sln")))
        {
            dir = dir.Parent;
        }
        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0", "ContinuumControl.Server.dll");
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>What one step measured.</summary>
public sealed record StepResult(string Label, int TargetRate, double AckedPerSecond, long Unknown, long Errors, Percentiles RoundTrips, Percentiles Reads, CpuUse Cpu)
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"  acked {AckedPerSecond:N0}/s (unknown {Unknown}, errors {Errors}); hb RTT p50 {RoundTrips.P50:0.0} p99 {RoundTrips.P99:0.0} ms; " +
        $"GET /api/nodes n={Reads.Count} p50 {Reads.P50:0.0} p95 {Reads.P95:0.0} p99 {Reads.P99:0.0} max {Reads.Max:0.0} ms; " +
        $"CPU server {Cpu.Server:0}% postgres {Cpu.Postgres:0}% loadgen {Cpu.LoadGenerator:0}% others {Cpu.Others:0}% machine {Cpu.MachineBusy:0}%");
}

/// <summary>Whether the database reflects the heartbeats after the run.</summary>
public sealed record EndCheck(bool Ok, string Summary);
