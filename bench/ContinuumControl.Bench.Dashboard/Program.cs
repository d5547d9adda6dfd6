using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContinuumControl.Bench.Dashboard;
using Microsoft.Playwright;

// Dashboard at scale: how long until the pool page (50 node cards) and the Workloads page are interactive in Chromium,
// with 1,000 workloads of which most are finished.
// Usage: dotnet run -c Release --project bench/ContinuumControl.Bench.Dashboard [-- --runs 10] [--server-dir DIR (another build, e.g. before a change)] [--out FILE]
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(10);
var otherServerDir = args.SkipWhile(a => a != "--server-dir").Skip(1).FirstOrDefault();
const int Nodes = 50, Workloads = 1000, Seed = 11;
const double FinishedShare = 0.9;
const string Token = "cc_bench-dashboard-token";
var root = RepoPaths.Root;
var serverDir = otherServerDir is null ? Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0") : Path.GetFullPath(otherServerDir);
var work = Path.Combine(Path.GetTempPath(), $"cc-bench-dashboard-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var port = FreePort();
var baseUrl = new Uri($"http://127.0.0.1:{port}");
using var server = Process.Start(new ProcessStartInfo("dotnet",
[
    Path.Combine(serverDir, "ContinuumControl.Server.dll"), $"--urls={baseUrl}", "--Server:LocalAgents=0", $"--Server:DataDirectory={work}",
    $"--Server:BootstrapToken={Token}", "--Server:RegisterSamples=false",
    // Seeded nodes have no agent: a long TTL keeps them Ready, and no policy acts on them while the pages are measured.
    "--Server:HeartbeatTtlSeconds=86400", "--Server:FailoverGraceSeconds=86400",
    "--Orchestration:Policies:Rebalance:Enabled=false", "--Orchestration:Policies:Drain:Enabled=false", "--Orchestration:Policies:Offload:Enabled=false",
    "--Orchestration:Policies:EnergyLow:Enabled=false", "--Orchestration:Policies:NodeDown:Enabled=false", "--Logging:LogLevel:Default=Warning",
])
{ WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" } })!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[server] {e.Data}"); };
server.BeginOutputReadLine();
server.BeginErrorReadLine();
try
{
    using var http = new HttpClient { BaseAddress = baseUrl };
    var up = Stopwatch.StartNew();
    while (!(await TryGetAsync(http, "/healthz")))
    {
        if (up.Elapsed > TimeSpan.FromSeconds(90) || server.HasExited)
        {
            throw new InvalidOperationException("the server did not answer /healthz");
        }
        await Task.Delay(250);
    }

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CONTINUUM_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
    var login = await context.NewPageAsync();
    await login.GotoAsync("/login");
    await login.FillAsync("input[name=token]", Token);
    await login.ClickAsync("[data-testid=login-submit]");
    await login.Locator("#pool[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
    await login.CloseAsync();

    var emptyPool = await MeasureAsync(context, "/", "#pool[data-interactive=true]", 0, runs);
    var emptyList = await MeasureAsync(context, "/workloads", "#workloads-page[data-interactive=true] [data-testid=workloads-total][data-total='0']", 0, runs);
    var seeded = await PoolSeed.WriteAsync(Path.Combine(work, "continuum.db"), Nodes, Workloads, FinishedShare, Seed);
    var fullPool = await MeasureAsync(context, "/", "#pool[data-interactive=true]", Nodes, runs);
    var fullList = await MeasureAsync(context, "/workloads", $"#workloads-page[data-interactive=true] [data-testid=workloads-total][data-total='{Workloads}']", 0, runs);

    var report = new StringBuilder();
    report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}; load average before: {Machine.LoadAverage()}");
    report.AppendLine(CultureInfo.InvariantCulture, $"Chromium {browser.Version}, {runs} page loads per row (after one warm-up), interactive = data-interactive=true and the row's content present.");
    report.AppendLine(CultureInfo.InvariantCulture, $"Seeded pool: {seeded.Nodes} nodes, {seeded.Unfinished + seeded.Finished} workloads ({seeded.Finished} finished, {seeded.Unfinished} running/queued/suspended), seed {Seed}.");
    report.AppendLine();
    report.AppendLine("| Page | Pool | HTML arrived, median ms | interactive, median ms | p90 ms | max ms | node cards | workload cards/rows | page height px | DOM elements |");
    report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var (name, pool, m) in new[] { ("Resource pool", "empty (baseline)", emptyPool), ("Resource pool", "50 nodes / 1,000 workloads", fullPool), ("Workloads", "empty (baseline)", emptyList), ("Workloads", "50 nodes / 1,000 workloads", fullList) })
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {pool} | {m.Html:0} | {m.Median:0} | {m.P90:0} | {m.Max:0} | {m.NodeCards} | {m.WorkloadItems} | {m.Height} | {m.Elements} |");
    }
    var target = fullPool.Max < 1000 ? "met" : "NOT met";
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Target (pool page interactive in under 1 s with 50 nodes and 1,000 workloads, every load): {target} (max {fullPool.Max:0} ms).");
    Console.WriteLine(report);
    var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(root, "bench", "ContinuumControl.Bench.Dashboard", "results.md");
    await File.WriteAllTextAsync(output, report.ToString());
    Console.WriteLine($"written to {output}");
}
finally
{
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (IOException)
    {
    }
}

// A fresh tab per load (the circuit starts from nothing, as when an operator opens the page), timed from navigation
// start to the moment the page answers events and shows what it should.
static async Task<Measurement> MeasureAsync(IBrowserContext context, string path, string readySelector, int nodeCards, int runs)
{
    var times = new List<double>();
    var htmls = new List<double>();
    var last = default(Measurement);
    for (var i = 0; i <= runs; i++)
    {
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator(readySelector).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        if (nodeCards > 0)
        {
            await page.WaitForFunctionAsync($"document.querySelectorAll('.cc-node').length >= {nodeCards}", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        else if (path == "/workloads")
        {
            await page.WaitForFunctionAsync("document.querySelectorAll('[data-testid=workload-row]').length > 0 || document.querySelector('[data-testid=workloads-empty]') !== null", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        // When the prerendered HTML had arrived: the rest until interactive is the circuit starting and rendering again.
        var html = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].responseEnd");
        if (i > 0)
        {
            times.Add(elapsed);
            htmls.Add(html);
        }
        var shape = await page.EvaluateAsync<int[]>("() => [document.querySelectorAll('.cc-node').length, document.querySelectorAll('.cc-workload, [data-testid=workload-row]').length, document.documentElement.scrollHeight, document.getElementsByTagName('*').length]");
        last = new Measurement(0, 0, 0, shape[0], shape[1], shape[2], shape[3]);
        await page.CloseAsync();
    }
    times.Sort();
    htmls.Sort();
    return last with { Html = htmls[htmls.Count / 2], Median = times[times.Count / 2], P90 = times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.9) - 1)], Max = times[^1] };
}

static async Task<bool> TryGetAsync(HttpClient http, string path)
{
    try
    {
        return (await http.GetAsync(path)).StatusCode == HttpStatusCode.OK;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}


internal readonly record struct Measurement(double Median, double P90, double Max, int NodeCards, int WorkloadItems, int Height, int Elements, double Html = 0);

internal static class Machine
{
    public static string LoadAverage() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} CPUs ({cpu}), {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
