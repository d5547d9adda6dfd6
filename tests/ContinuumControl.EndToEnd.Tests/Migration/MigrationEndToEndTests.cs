using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Migration;

/// <summary>Live migration between two real agent processes: the moved run's output equals an unmoved run's, byte for byte.</summary>
public sealed class MigrationEndToEndTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    [Theory]
    [InlineData("hello", new[] { "60" })]
    [InlineData("deep-recursion", new[] { "48" })]
    [InlineData("big-heap", new[] { "500" })]
    [InlineData("never-yields", new[] { "72" })]
    [InlineData("rust-collections", new[] { "400", "10000" })]
    [InlineData("rust-recursion", new[] { "240" })]
    public async Task Migrate_SampleMidRun_OutputMatchesUnmigratedRun(string sample, string[] args)
    {
        var hash = await cluster.ModuleHashAsync(sample);
        var edge = await cluster.NodeAsync("edge-e2e");
        var cloud = await cluster.NodeAsync("cloud-e2e");
        var moved = await cluster.DeployAsync(hash, args: args, memoryLimitMiB: 128);
        var reference = await cluster.DeployAsync(hash, args: args, memoryLimitMiB: 128);
        await cluster.WaitForOutputAsync(moved.Id, 1);
        var target = moved.NodeId == edge.Id ? cloud : edge;

        var migration = await cluster.MigrateAsync(moved.Id, target.Id);

        Assert.True(migration.Phase == MigrationPhase.Completed, $"{migration.Phase}: {migration.Reason}{cluster.Diagnostics()}");
        Assert.NotNull(migration.DowntimeMs);
        Assert.True(migration.BytesMoved > 0);
        var finished = await cluster.WaitFinishedAsync(moved.Id);
        Assert.Equal((WorkloadState.Completed, target.Name, 2L), (finished.State, finished.NodeName, finished.Generation));
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(reference.Id)).State);
        Assert.Equal(await cluster.OutputAsync(reference.Id), await cluster.OutputAsync(moved.Id));
    }

    [Fact]
    public async Task Migrate_WithoutPreCopy_AndBack_OutputMatchesExpected()
    {
        var edge = await cluster.NodeAsync("edge-e2e");
        var cloud = await cluster.NodeAsync("cloud-e2e");
        var workload = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: null, args: ["30"]);
        await cluster.WaitForOutputAsync(workload.Id, 1);
        var there = workload.NodeId == edge.Id ? cloud.Id : edge.Id;

        Assert.Equal(MigrationPhase.Completed, (await cluster.MigrateAsync(workload.Id, there, preCopy: false)).Phase);
        Assert.Equal(MigrationPhase.Completed, (await cluster.MigrateAsync(workload.Id, workload.NodeId, preCopy: false)).Phase);

        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(workload.Id)).State);
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello.stdout")), await cluster.OutputAsync(workload.Id));
        var history = await cluster.Api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{workload.Id}/migrations");
        Assert.Equal(2, history!.Count);
        Assert.All(history, m => Assert.False(m.PreCopy));
    }

    [Fact]
    public async Task Migrate_FinishedWorkload_Returns409WithReason()
    {
        var workload = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), args: ["1"]);
        await cluster.WaitFinishedAsync(workload.Id);
        var response = await cluster.Api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest());
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only a Running workload", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CiPipeline_WithPlainHttpAndAScopedToken_UploadsDeploysMigratesWaitsAndReadsOutput()
    {
        var created = await cluster.Api.PostAsJsonAsync("/api/tokens", new { name = "ci-pipeline", scopes = new[] { "read", "write" } });
        var token = (await created.Content.ReadFromJsonAsync<TokenAnswer>())!.Token;
        using var ci = new HttpClient { BaseAddress = cluster.BaseAddress };
        ci.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var wasm = new ByteArrayContent(await File.ReadAllBytesAsync(RepoPaths.Sample("hello.wasm")));
        wasm.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/wasm");
        var module = await (await ci.PostAsync("/api/modules?name=hello-ci", wasm)).Content.ReadFromJsonAsync<ModuleDto>();
        var workload = await (await ci.PostAsJsonAsync("/api/workloads", new { moduleHash = module!.Hash, args = new[] { "30" } })).Content.ReadFromJsonAsync<WorkloadDto>();
        await cluster.WaitForOutputAsync(workload!.Id, 1);

        var accepted = await ci.PostAsync($"/api/workloads/{workload.Id}/migrations", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var migration = await accepted.Content.ReadFromJsonAsync<MigrationDto>();
        Assert.NotEqual(workload.NodeId, migration!.TargetNodeId);
        var done = await ci.GetFromJsonAsync<MigrationDto>($"/api/migrations/{migration.Id}/wait?timeoutSeconds=60");
        Assert.Equal(MigrationPhase.Completed, done!.Phase);
        Assert.Equal([MigrationPhase.Requested, MigrationPhase.Preparing, MigrationPhase.Checkpointing, MigrationPhase.Transferring, MigrationPhase.Restoring, MigrationPhase.Completed], done.Phases.Select(p => p.Phase));

        var finished = await ci.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{workload.Id}/wait?timeoutSeconds=60");
        Assert.Equal(WorkloadState.Completed, finished!.State);
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello.stdout")), await ci.GetByteArrayAsync($"/api/workloads/{workload.Id}/output/raw"));
    }

    private sealed record TokenAnswer(string Token);
}
