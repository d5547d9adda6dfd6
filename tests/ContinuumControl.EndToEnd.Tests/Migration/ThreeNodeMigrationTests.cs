using System.Net.Http.Json;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Migration;

/// <summary>One workload moved ten times in a row across three nodes, and a node drained.</summary>
public sealed class ThreeNodeMigrationTests(ThreeNodeMigrationTests.Cluster cluster) : IClassFixture<ThreeNodeMigrationTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-a", "Edge"), ("edge-b", "Edge"), ("cloud-c", "Cloud")];
    }

    [Fact]
    public async Task TenMigrationsInARow_AcrossThreeNodes_OutputMatchesUnmigratedRun()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var nodes = new[] { await cluster.NodeAsync("edge-a"), await cluster.NodeAsync("edge-b"), await cluster.NodeAsync("cloud-c") };
        var moved = await cluster.DeployAsync(hash, args: ["250"]);
        var reference = await cluster.DeployAsync(hash, args: ["250"]);
        await cluster.WaitForOutputAsync(moved.Id, 1);

        var at = Array.FindIndex(nodes, n => n.Id == moved.NodeId);
        var took = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            at = (at + 1) % nodes.Length;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var migration = await cluster.MigrateAsync(moved.Id, nodes[at].Id);
            took.Add($"{clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(migration.Phase == MigrationPhase.Completed, $"move {i + 1}: {migration.Phase} {migration.Reason} (moves took {string.Join(", ", took)}){cluster.Diagnostics()}");
        }

        var finished = await cluster.WaitFinishedAsync(moved.Id, 180);
        var runs = string.Join("; ", finished.Restart?.Attempts.Select(a => $"#{a.Number} on {a.NodeId}: {a.EndReason}") ?? []);
        Assert.True((finished.State, finished.Generation) == (WorkloadState.Completed, 11L), $"{finished.State}, generation {finished.Generation} (10 moves: 11 expected); runs: {runs}{cluster.Diagnostics()}");
        await cluster.WaitFinishedAsync(reference.Id, 180);
        Assert.Equal(await cluster.OutputAsync(reference.Id), await cluster.OutputAsync(moved.Id));
    }

    [Fact]
    public async Task Drain_MovesRunningWorkloadsAway_AndTakesNoNewOnes()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var cloud = await cluster.NodeAsync("cloud-c");
        var workload = await cluster.DeployAsync(hash, args: ["60"]);
        await cluster.WaitForOutputAsync(workload.Id, 1);
        if (workload.NodeId != cloud.Id)
        {
            Assert.Equal(MigrationPhase.Completed, (await cluster.MigrateAsync(workload.Id, cloud.Id)).Phase);
        }

        var drain = await (await cluster.Api.PostAsync($"/api/nodes/{cloud.Id}/drain", null)).Content.ReadFromJsonAsync<DrainAnswer>();
        try
        {
            Assert.Empty(drain!.Refused);
            var migration = await cluster.WaitMigrationAsync(Assert.Single(drain.Migrations).Id);
            Assert.Equal((MigrationPhase.Completed, MigrationTrigger.Drain), (migration.Phase, migration.Trigger));
            Assert.Equal(NodeState.Draining, (await cluster.NodeAsync("cloud-c")).State);
            var refused = await cluster.Api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, @class = "Cloud" });
            Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("node is Draining", await refused.Content.ReadAsStringAsync());

            var finished = await cluster.WaitFinishedAsync(workload.Id);
            Assert.NotEqual(cloud.Id, finished.NodeId);
        }
        finally
        {
            await cluster.Api.PostAsync($"/api/nodes/{cloud.Id}/uncordon", null);
        }
        Assert.Equal(NodeState.Ready, (await cluster.NodeAsync("cloud-c")).State);
    }

    private sealed record DrainAnswer(Guid NodeId, List<Contracts.Api.MigrationDto> Migrations, List<DrainRefusal> Refused);

    private sealed record DrainRefusal(Guid WorkloadId, string Reason);
}
