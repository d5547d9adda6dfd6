using ContinuumControl.Domain.Workloads;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ContinuumControl.Bench.Migration;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Bench.Output;

/// <summary>
/// The real server (SQLite) and one real agent process on loopback: flood.wasm writes N MiB, and the time from the
/// workload running to it being Completed (the agent reports completion only after its output is stored) gives MB/s.
/// The stored stream is read back through GET .../output/raw and hashed against what the program wrote. Peak
/// resident memory of both processes is sampled every 50 ms while the workload runs.
/// </summary>
internal static class EndToEndBench
{
    public sealed record Result(double MegabytesPerSecond, string Markdown);

    public static async Task<Result> RunAsync(string root, byte[] wasm, int mib)
    {
        var serverDir = Path.Combine(root, "src", "ContinuumControl.Server", "bin", "Release", "net10.0");
        var workDir = Path.Combine(Path.GetTempPath(), $"cc-output-e2e-{Environment.ProcessId}");
        Directory.CreateDirectory(workDir);
        await using var cluster = await LocalCluster.StartAsync(serverDir, workDir, ["output-a"], 2048);
        var hash = await cluster.UploadAsync("flood", wasm);
        var md = new StringBuilder();
        md.AppendLine("| case | bytes | running -> stored (s) | MB/s | server peak RSS (MiB) | agent peak RSS (MiB) | server RSS before (MiB) | agent RSS before (MiB) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var writes64k = mib * 16L;
        var large = await RunCaseAsync(cluster, hash, $"large: {mib} MiB in 64 KiB writes to stderr", [writes64k.ToString(CultureInfo.InvariantCulture), "65536", "stderr"], "stderr", mib + 16, md);
        var smallWrites = mib * 1024L * 1024 / 50 / 4;
        await RunCaseAsync(cluster, hash, $"small: {smallWrites:N0} writes of 1-100 B to stderr", [smallWrites.ToString(CultureInfo.InvariantCulture), "0", "stderr"], "stderr", mib + 16, md);
        md.AppendLine();
        md.AppendLine("MB/s = 10^6 bytes per second, from the agent reporting Running to the server showing Completed with every byte stored; the whole stream is then read back through `GET /api/workloads/{id}/output/raw` and its SHA-256 compared with what the program wrote. RSS = VmRSS of the server and agent processes sampled every 50 ms during the run (peak) and just before it.");
        return new Result(large, md.ToString());
    }

    private static async Task<double> RunCaseAsync(LocalCluster cluster, string hash, string name, string[] args, string stream, int limitMiB, StringBuilder md)
    {
        var server = cluster.Server.Id;
        var agent = cluster.Agents.Values.Single().Id;
        var before = (Rss(server), Rss(agent));
        using var response = await cluster.Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(hash, Name: "flood", Args: args, MemoryLimitMiB: 64, OutputLimitMiB: limitMiB));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"deploy failed: {await response.Content.ReadAsStringAsync()}");
        }
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
        long peakServer = 0, peakAgent = 0;
        long? runningAt = null;
        WorkloadDto current;
        while (true)
        {
            current = await cluster.GetWorkloadAsync(workload.Id);
            peakServer = Math.Max(peakServer, Rss(server));
            peakAgent = Math.Max(peakAgent, Rss(agent));
            if (current.State == WorkloadState.Running && runningAt is null)
            {
                runningAt = Stopwatch.GetTimestamp();
            }
            if (current.State is WorkloadState.Completed or WorkloadState.Failed or WorkloadState.Stopped)
            {
                break;
            }
            await Task.Delay(50);
        }
        var seconds = Stopwatch.GetElapsedTime(runningAt ?? Stopwatch.GetTimestamp()).TotalSeconds;
        Console.Error.WriteLine($"agent at the end: {Breakdown(agent)}; server: {Breakdown(server)}");
        if (current.State != WorkloadState.Completed)
        {
            throw new InvalidOperationException($"{name}: {current.State} {current.FailureReason}");
        }
        var (bytes, digest) = await ReadBackAsync(cluster, workload.Id, stream);
        var expected = ExpectedDigest(long.Parse(args[0], CultureInfo.InvariantCulture), long.Parse(args[1], CultureInfo.InvariantCulture));
        if (digest != expected.Digest || bytes != expected.Bytes)
        {
            throw new InvalidOperationException($"{name}: stored {bytes} bytes ({digest}), the program wrote {expected.Bytes} ({expected.Digest})");
        }
        var rate = bytes / seconds / 1e6;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {bytes:N0} | {seconds:0.00} | {rate:0.0} | {peakServer / 1048576.0:0} | {peakAgent / 1048576.0:0} | {before.Item1 / 1048576.0:0} | {before.Item2 / 1048576.0:0} |");
        md.AppendLine(line);
        Console.WriteLine(line);
        return rate;
    }

    private static async Task<(long Bytes, string Digest)> ReadBackAsync(LocalCluster cluster, Guid id, string stream)
    {
        using var response = await cluster.Api.GetAsync($"/api/workloads/{id}/output/raw?stream={stream}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }
        return (total, Convert.ToHexString(sha.GetHashAndReset()));
    }

    /// <summary>What flood.c writes for these arguments (same loop as the C program), hashed without holding it.</summary>
    private static (long Bytes, string Digest) ExpectedDigest(long writes, long size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Math.Max(size, 100)];
        long total = 0;
        for (long i = 0; i < writes; i++)
        {
            var n = size != 0 ? size : 1 + (i * 37) % 100;
            for (long k = 0; k < n; k++)
            {
                buffer[k] = (byte)('a' + (i + k) % 26);
            }
            if (n > 1)
            {
                buffer[n - 1] = (byte)'\n';
            }
            sha.AppendData(buffer, 0, (int)n);
            total += n;
        }
        return (total, Convert.ToHexString(sha.GetHashAndReset()));
    }

    private static string Breakdown(int pid)
    {
        try
        {
            return string.Join(", ", File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
