using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Output;

/// <summary>Output volume and the output limit, through the real server and real agent processes.</summary>
public sealed class OutputEndToEndTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    [Fact]
    public async Task Deploy_MillionsOfBytesInSmallUnbufferedWrites_StoredByteForByte()
    {
        var hash = await cluster.UploadAsync("flood", FloodGuest.Module);
        var flood = await cluster.DeployAsync(hash, nodeClass: "Edge", args: ["300000", "0", "stderr"]);

        var done = await cluster.WaitFinishedAsync(flood.Id, timeoutSeconds: 180);

        Assert.Equal(WorkloadState.Completed, done.State);
        Assert.Equal(FloodGuest.Expected(300000, 0), await cluster.OutputAsync(flood.Id, "stderr"));
        Assert.StartsWith("flood: 300000 writes, 15150000 bytes", System.Text.Encoding.UTF8.GetString(await cluster.OutputAsync(flood.Id)));
    }

    [Fact]
    public async Task Deploy_OutputPastItsLimit_FailsNamingTheLimit_AndWhatFitsStaysReadable()
    {
        var hash = await cluster.UploadAsync("flood", FloodGuest.Module);
        using var response = await cluster.Api.PostAsJsonAsync("/api/workloads",
            new CreateWorkloadRequest(hash, Args: ["100000", "100", "stdout"], Class: "Cloud", OutputLimitMiB: 1));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var workload = (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;

        var failed = await cluster.WaitFinishedAsync(workload.Id, timeoutSeconds: 180);

        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.Contains("output exceeded its limit of 1 MiB", failed.FailureReason);
        Assert.Equal(FloodGuest.Expected(100000, 100).AsSpan(0, 1 << 20).ToArray(), await cluster.OutputAsync(workload.Id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(70000)]
    public async Task Deploy_BadOutputLimit_Returns400SayingWhatToSend(int limit)
    {
        var hash = await cluster.ModuleHashAsync("hello");
        using var response = await cluster.Api.PostAsJsonAsync("/api/workloads", new CreateWorkloadRequest(hash, OutputLimitMiB: limit));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("outputLimitMiB")[0].GetString();
        Assert.Contains("between 1 and 65536 MiB", message);
        Assert.Contains("Leave it out for the server's default of 64 MiB", message);
    }
}
