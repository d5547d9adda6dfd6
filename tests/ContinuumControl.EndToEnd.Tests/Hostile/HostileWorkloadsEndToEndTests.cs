using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Hostile;

/// <summary>
/// Modules that never reach a safe point of their own, uploaded and run through the REST API on real agents: a stop
/// frees the core, limits set in the API end them, and a move still works. The agents run with the engine backstop on
/// (Agent:EngineBackstopSeconds), as a node for unvetted code would: the instrumented safe points still do the work,
/// and the epoch engine runs, checkpoints and moves like the default one.
/// </summary>
public sealed class HostileWorkloadsEndToEndTests(HostileWorkloadsEndToEndTests.Cluster cluster) : IClassFixture<HostileWorkloadsEndToEndTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:EngineBackstopSeconds=2"];
    }

    private const string Announce = """
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "spinning\n")
          (func $announce
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 9))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
        """;

    /// <summary>Imports continuum.yield (so it counts as cooperative) and never calls it.</summary>
    private static readonly byte[] CooperativeSpin = Wasmtime.Module.ConvertText($$"""
        (module (import "continuum" "yield" (func $yield)) {{Announce}}
          (func (export "_start") (call $announce) (loop (br 0))))
        """);

    /// <summary>A spinning module claiming, through a forged marker, to be instrumented already.</summary>
    private static readonly byte[] ForgedSpin = WithForgedMarker(Wasmtime.Module.ConvertText($$"""
        (module {{Announce}} (func (export "_start") (call $announce) (loop (br 0))))
        """));

    public static TheoryData<string> Spinners => new() { "cooperative-spin", "forged-spin" };

    [Theory]
    [MemberData(nameof(Spinners))]
    public async Task Stop_SpinningWorkload_FreesTheCore_AndTheAgentKeepsServing(string name)
    {
        var hash = await cluster.UploadAsync(name, name == "forged-spin" ? ForgedSpin : CooperativeSpin);
        var agent = cluster.AgentProcess("edge-e2e");
        // Threads already busy before this spinner starts (a previous test's workload still ending) are not it.
        var busyBefore = (await ThreadCoresAsync(agent)).Where(t => t.Value > 0.05).Select(t => t.Key).ToHashSet();
        var spin = await cluster.DeployAsync(hash, nodeClass: "Edge");
        await cluster.WaitForOutputAsync(spin.Id, 9);
        // The spinner is the agent thread burning CPU; measured per thread, so the agent's own work (heartbeats, the
        // engine ticker, GC) and a loaded CI machine, where a spinning thread gets far less than a core, do not blur it.
        var (spinner, spinning) = (await ThreadCoresAsync(agent)).Where(t => !busyBefore.Contains(t.Key)).MaxBy(t => t.Value);
        Assert.True(spinning > 0.05, $"the spinner does not seem to run: the agent's busiest new thread uses {spinning:0.00} cores");

        var response = await cluster.Api.PostAsync($"/api/workloads/{spin.Id}/stop", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The core is free within the stop bound: that thread ends or goes quiet (sampled over a second at a time).
        var busy = spinning;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && (busy = (await ThreadCoresAsync(agent)).GetValueOrDefault(spinner)) >= spinning / 4)
        {
        }
        Assert.True(busy < spinning / 4, $"the spinning thread still uses {busy:0.00} cores {clock.Elapsed.TotalSeconds:0} s after the stop ({spinning:0.00} while spinning){cluster.Diagnostics()}");
        Assert.Equal(WorkloadState.Stopped, (await cluster.WorkloadAsync(spin.Id)).State);

        var next = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge", args: ["3"]);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(next.Id)).State);
    }

    [Fact]
    public async Task CpuTimeLimit_FromTheApi_FailsTheSpinnerWithTheReason()
    {
        var hash = await cluster.UploadAsync("cooperative-spin", CooperativeSpin);
        var created = await DeployAsync(new CreateWorkloadRequest(hash, Class: "Cloud", CpuTimeLimitSeconds: 1));
        Assert.Equal(1, created.CpuTimeLimitSeconds);

        var failed = await cluster.WaitFinishedAsync(created.Id, 60);

        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.StartsWith("exceeded its CPU-time limit of 1 s", failed.FailureReason);
    }

    [Fact]
    public async Task WallClockLimit_FromTheApi_FailsTheSpinnerWithTheReason()
    {
        var hash = await cluster.UploadAsync("cooperative-spin", CooperativeSpin);
        var created = await DeployAsync(new CreateWorkloadRequest(hash, Class: "Edge", WallClockLimitSeconds: 2));
        var clock = Stopwatch.StartNew();

        var failed = await cluster.WaitFinishedAsync(created.Id, 60);

        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.StartsWith("exceeded its wall-clock limit", failed.FailureReason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [InlineData("""{"moduleHash":"HASH","cpuTimeLimitSeconds":-1}""", "cpuTimeLimitSeconds")]
    [InlineData("""{"moduleHash":"HASH","wallClockLimitSeconds":0}""", "wallClockLimitSeconds")]
    [InlineData("""{"moduleHash":"HASH","wallClockLimitSeconds":99999999}""", "wallClockLimitSeconds")]
    public async Task TimeLimit_OutOfRange_AnswersProblemDetailsNamingTheField(string body, string field)
    {
        var hash = await cluster.ModuleHashAsync("hello");
        using var content = new StringContent(body.Replace("HASH", hash), System.Text.Encoding.UTF8, "application/json");

        var response = await cluster.Api.PostAsync("/api/workloads", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains("Leave it out for no limit", message);
    }

    [Fact]
    public async Task Migrate_CooperativeModuleThatNeverYields_MovesAndKeepsRunning()
    {
        var hash = await cluster.UploadAsync("cooperative-spin", CooperativeSpin);
        var spin = await cluster.DeployAsync(hash);
        await cluster.WaitForOutputAsync(spin.Id, 9);
        var source = (await cluster.WorkloadAsync(spin.Id)).NodeName;
        var target = await cluster.NodeAsync(source == "edge-e2e" ? "cloud-e2e" : "edge-e2e");

        var migration = await cluster.MigrateAsync(spin.Id, target.Id);

        Assert.True(migration.Phase == MigrationPhase.Completed, $"{migration.Phase}: {migration.Reason}{cluster.Diagnostics()}");
        var moved = await cluster.WorkloadAsync(spin.Id);
        Assert.Equal((WorkloadState.Running, target.Name), (moved.State, moved.NodeName));
        Assert.Equal("spinning\n", System.Text.Encoding.UTF8.GetString(await cluster.OutputAsync(spin.Id)));
        await cluster.Api.PostAsync($"/api/workloads/{spin.Id}/stop", null);
    }

    private async Task<WorkloadDto> DeployAsync(CreateWorkloadRequest request)
    {
        var response = await cluster.Api.PostAsJsonAsync("/api/workloads", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    /// <summary>Cores each thread of <paramref name="process"/> used over a second (a thread that ended is left out).</summary>
    private static async Task<Dictionary<int, double>> ThreadCoresAsync(Process process)
    {
        var before = ThreadTimes(process);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = ThreadTimes(process);
        return after.ToDictionary(t => t.Key, t => (t.Value - before.GetValueOrDefault(t.Key)).TotalSeconds / clock.Elapsed.TotalSeconds);
    }

    private static Dictionary<int, TimeSpan> ThreadTimes(Process process)
    {
        process.Refresh();
        var times = new Dictionary<int, TimeSpan>();
        foreach (ProcessThread thread in process.Threads)
        {
            try
            {
                times[thread.Id] = thread.TotalProcessorTime;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The thread ended between listing and reading.
            }
        }
        return times;
    }

    private static byte[] WithForgedMarker(byte[] module)
    {
        const string name = "continuum.instrumentation";
        byte[] payload = [(byte)name.Length, .. System.Text.Encoding.UTF8.GetBytes(name), .. System.Text.Encoding.UTF8.GetBytes("v4;Automatic")];
        return [.. module, 0, (byte)payload.Length, .. payload];
    }
}
