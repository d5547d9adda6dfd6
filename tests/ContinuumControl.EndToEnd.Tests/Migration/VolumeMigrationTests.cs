using System.Net;
using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Migration;

/// <summary>
/// Workloads that read and write files in a node volume (Agent:Volumes), deployed and moved through the REST API
/// between two real agents whose "shared" volume is the same directory, as shared storage would be.
/// </summary>
public sealed class VolumeMigrationTests(VolumeMigrationTests.Cluster cluster) : IClassFixture<VolumeMigrationTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        public string Shared => Path.Combine(DataDirectory, "volumes", "shared");

        public string Reference => Path.Combine(DataDirectory, "volumes", "reference");

        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-vol", "Edge"), ("cloud-vol", "Cloud")];

        protected override IReadOnlyList<string> AgentArgs(string name)
        {
            Directory.CreateDirectory(Shared);
            Directory.CreateDirectory(Reference);
            return [$"--Agent:Volumes:shared={Shared}", $"--Agent:Volumes:reference={Reference}"];
        }
    }

    [Fact]
    public async Task RustFilesInASharedVolume_MovedMidRun_OutputAndFilesAsIfNeverMoved()
    {
        var hash = await cluster.ModuleHashAsync("rust-files");
        var edge = await cluster.NodeAsync("edge-vol");
        var cloud = await cluster.NodeAsync("cloud-vol");
        Assert.Contains("volume:shared", edge.Capabilities);
        var moved = await DeployAsync(hash, "shared");
        var reference = await DeployAsync(hash, "reference");
        Assert.Equal([new VolumeMountDto("shared", "/data")], moved.Volumes);
        await cluster.WaitForOutputAsync(moved.Id, 1);
        var target = (await cluster.WorkloadAsync(moved.Id)).NodeId == edge.Id ? cloud : edge;

        var migration = await cluster.MigrateAsync(moved.Id, target.Id);

        Assert.True(migration.Phase == MigrationPhase.Completed, $"{migration.Phase}: {migration.Reason}{cluster.Diagnostics()}");
        var finished = await cluster.WaitFinishedAsync(moved.Id);
        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{cluster.Diagnostics()}");
        Assert.Equal(target.Name, finished.NodeName);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(reference.Id)).State);
        Assert.Equal(await cluster.OutputAsync(reference.Id), await cluster.OutputAsync(moved.Id));
        // The program removes its files at the end: nothing is left behind in either volume.
        Assert.Empty(Directory.EnumerateFileSystemEntries(cluster.Shared));
    }

    [Fact]
    public async Task VolumeNoNodeOffers_Answers409_NamingTheMissingVolumeOnEveryNode()
    {
        var hash = await cluster.ModuleHashAsync("rust-files");

        var response = await cluster.Api.PostAsJsonAsync("/api/workloads",
            new CreateWorkloadRequest(hash, Volumes: [new VolumeMountDto("scratch", "/data")]));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<PlacementProblem>();
        Assert.Equal(["cloud-vol", "edge-vol"], problem!.Rejections.Select(r => r.NodeName).Order());
        Assert.All(problem.Rejections, r => Assert.Equal("has no volume 'scratch' (Agent:Volumes on its agent)", r.Reason));
    }

    [Theory]
    [InlineData("""[{"volume": "Shared", "guestPath": "/data"}]""", "is not a volume name")]
    [InlineData("""[{"volume": "shared", "guestPath": "data"}]""", "must be absolute")]
    [InlineData("""[{"volume": "shared", "guestPath": "/data/../etc"}]""", "without empty, '.' or '..' segments")]
    [InlineData("""[{"volume": "shared", "guestPath": "/data"}, {"volume": "reference", "guestPath": "/data"}]""", "is mounted twice")]
    [InlineData("""[null]""", "is null")]
    public async Task BadVolumes_Answer400_NamingTheProblem(string volumes, string problem)
    {
        var hash = await cluster.ModuleHashAsync("rust-files");
        using var body = new StringContent($$"""{"moduleHash": "{{hash}}", "volumes": {{volumes}}}""", System.Text.Encoding.UTF8, "application/json");

        var response = await cluster.Api.PostAsync("/api/workloads", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var details = await response.Content.ReadFromJsonAsync<HttpValidationProblem>();
        Assert.Contains(details!.Errors["volumes"], e => e.Contains(problem, StringComparison.Ordinal));
    }

    private async Task<WorkloadDto> DeployAsync(string hash, string volume)
    {
        var response = await cluster.Api.PostAsJsonAsync("/api/workloads",
            new CreateWorkloadRequest(hash, Args: ["150"], Volumes: [new VolumeMountDto(volume, "/data")]));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    private sealed record HttpValidationProblem(Dictionary<string, string[]> Errors);

    private sealed record PlacementProblem(List<CandidateRejectionDto> Rejections);
}
