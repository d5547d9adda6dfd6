using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Recovery;

/// <summary>
/// Restart policies with a module that traps (built from WAT with wabt in the test run): OnFailure starts it over up to
/// the limit with a doubling backoff and lists every attempt; Never does not. Bad policy fields are refused with a 400
/// naming the field and what to send. A migration asked for while a workload finishes says it finished.
/// </summary>
public sealed class RestartPolicyTests(RestartPolicyTests.Cluster cluster) : IClassFixture<RestartPolicyTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-policy", "Edge"), ("cloud-policy", "Cloud")];

        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:Faults:DelayCheckpointMs=6000"];
    }

    private const string TrapWat = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "trying once\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 12))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            unreachable))
        """;

    [Fact]
    public async Task OnFailure_TrappingWorkload_RestartedUpToLimitWithBackoff_AttemptsListed()
    {
        var hash = await UploadTrapAsync();
        var workload = await cluster.DeployAsync(hash, [], new RestartPolicyRequest("OnFailure", MaxRestarts: 2, BackoffSeconds: 1));
        Assert.Equal((RestartPolicy.OnFailure, 2, 1), (workload.Restart!.Policy, workload.Restart.MaxRestarts, workload.Restart.BackoffSeconds));

        var finished = await cluster.WaitFinishedAsync(workload.Id, 120);

        Assert.Equal(WorkloadState.Failed, finished.State);
        var restart = finished.Restart!;
        Assert.Equal((3, 2), (restart.AttemptCount, restart.Restarts));
        Assert.EndsWith("; restart 1 of 2 after 1 s", restart.Attempts[0].EndReason);
        Assert.EndsWith("; restart 2 of 2 after 2 s", restart.Attempts[1].EndReason);
        Assert.All(restart.Attempts, a => Assert.StartsWith("failed: ", a.EndReason));
        Assert.True(restart.Attempts[1].StartedAt - restart.Attempts[0].EndedAt!.Value >= TimeSpan.FromSeconds(0.9), "first backoff shorter than 1 s");
        Assert.True(restart.Attempts[2].StartedAt - restart.Attempts[1].EndedAt!.Value >= TimeSpan.FromSeconds(1.9), "second backoff shorter than 2 s");
        Assert.EndsWith("(after 2 restarts, the limit)", finished.FailureReason);
        // Each restart starts from the beginning with its output rewound: what is stored is one run's output.
        Assert.Equal("trying once\n", Encoding.UTF8.GetString(await cluster.OutputAsync(workload.Id)));
    }

    [Fact]
    public async Task Never_TrappingWorkload_NotRestarted()
    {
        var hash = await UploadTrapAsync();
        var workload = await cluster.DeployAsync(hash, [], new RestartPolicyRequest("Never"));

        var finished = await cluster.WaitFinishedAsync(workload.Id, 60);

        Assert.Equal((WorkloadState.Failed, RestartPolicy.Never, 1, 0), (finished.State, finished.Restart!.Policy, finished.Restart.AttemptCount, finished.Restart.Restarts));
        Assert.StartsWith("failed: ", finished.Restart.Attempts[0].EndReason);
        Assert.DoesNotContain("restart", finished.FailureReason);
    }

    [Theory]
    [InlineData("""{"policy":"Sometimes"}""", null, "restart.policy", "'Sometimes' is not a restart policy; use Never, OnNodeLoss or OnFailure, or leave it out for OnNodeLoss.")]
    [InlineData("""{"policy":"OnFailure","maxRestarts":-1}""", null, "restart.maxRestarts", "Must be between 0 and 100; got -1. Leave it out for 3.")]
    [InlineData("""{"backoffSeconds":99999}""", null, "restart.backoffSeconds", "Must be between 0 and 3600 seconds; got 99999. Leave it out for 1.")]
    [InlineData(null, -5, "checkpointIntervalSeconds", "Must be 0 (no periodic checkpoints) or 1..86400 seconds; got -5. Leave it out for the cluster's interval.")]
    public async Task Deploy_BadRestartOrCheckpointField_ProblemDetails400NamingField(string? restartJson, int? interval, string field, string message)
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var body = $$"""{"moduleHash":"{{hash}}"{{(restartJson is null ? "" : $",\"restart\":{restartJson}")}}{{(interval is null ? "" : $",\"checkpointIntervalSeconds\":{interval}")}}}""";
        var response = await cluster.Api.PostAsync("/api/workloads", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Migration_RequestedWhileWorkloadFinishes_Superseded_NotAborted()
    {
        // Sources wait 6 s before their pausing checkpoint (Agent:Faults); the workload finishes meanwhile.
        var hash = await cluster.ModuleHashAsync("hello");
        var workload = await cluster.DeployAsync(hash, args: ["8"]);
        var other = await cluster.NodeAsync(workload.NodeName == "edge-policy" ? "cloud-policy" : "edge-policy");
        await cluster.WaitForOutputAsync(workload.Id, 1);

        var requested = await cluster.Api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(other.Id, PreCopy: false));
        Assert.True(requested.StatusCode == HttpStatusCode.Accepted, await requested.Content.ReadAsStringAsync());
        var migration = (await requested.Content.ReadFromJsonAsync<MigrationDto>())!;
        var ended = await cluster.WaitMigrationAsync(migration.Id, 60);

        Assert.True(ended.Phase == MigrationPhase.Superseded, $"{ended.Phase}: {ended.Reason}{cluster.Diagnostics()}");
        Assert.Equal("the workload finished before it could move (Completed); nothing was moved", ended.Reason);
        var finished = await cluster.WaitFinishedAsync(workload.Id);
        Assert.Equal((WorkloadState.Completed, workload.NodeName, 1), (finished.State, finished.NodeName, finished.Restart!.AttemptCount));
    }

    private async Task<string> UploadTrapAsync()
    {
        var directory = Directory.CreateTempSubdirectory("cc-trap-");
        var wat = Path.Combine(directory.FullName, "trap.wat");
        var wasm = Path.Combine(directory.FullName, "trap.wasm");
        await File.WriteAllTextAsync(wat, TrapWat);
        using (var wat2wasm = Process.Start(new ProcessStartInfo("wat2wasm", [wat, "-o", wasm]) { RedirectStandardError = true })!)
        {
            var error = await wat2wasm.StandardError.ReadToEndAsync();
            await wat2wasm.WaitForExitAsync();
            Assert.True(wat2wasm.ExitCode == 0, $"wat2wasm failed: {error}");
        }
        return await cluster.UploadAsync("trap", await File.ReadAllBytesAsync(wasm));
    }
}
