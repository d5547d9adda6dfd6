using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests;

/// <summary>The server and two agent processes on loopback, running real modules in Wasmtime.</summary>
public sealed class WorkloadsEndToEndTests(LocalCluster cluster) : IClassFixture<LocalCluster>
{
    /// <summary>_start executes `unreachable`: the smallest module that traps.</summary>
    private static readonly byte[] TrappingModule =
    [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x05, 0x03, 0x01, 0x00, 0x01,
        0x07, 0x13, 0x02, 0x06, (byte)'_', (byte)'s', (byte)'t', (byte)'a', (byte)'r', (byte)'t', 0x00, 0x00,
        0x06, (byte)'m', (byte)'e', (byte)'m', (byte)'o', (byte)'r', (byte)'y', 0x02, 0x00,
        0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
    ];

    [Fact]
    public async Task BundledSamples_AreRegisteredAtStart()
    {
        var modules = await cluster.Api.GetFromJsonAsync<List<ModuleDto>>("/api/modules");
        Assert.Contains(modules!, m => m.Name == "hello");
        Assert.Contains(modules!, m => m.Name == "deep-recursion");
    }

    [Fact]
    public async Task Deploy_Samples_OnBothNodes_OutputMatchesExpectedBytes()
    {
        var hello = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge");
        var deep = await cluster.DeployAsync(await cluster.ModuleHashAsync("deep-recursion"), nodeClass: "Cloud");

        var helloDone = await cluster.WaitFinishedAsync(hello.Id);
        var deepDone = await cluster.WaitFinishedAsync(deep.Id);

        Assert.Equal((WorkloadState.Completed, 0, "edge-e2e"), (helloDone.State, helloDone.ExitCode, helloDone.NodeName));
        Assert.Equal((WorkloadState.Completed, 0, "cloud-e2e"), (deepDone.State, deepDone.ExitCode, deepDone.NodeName));
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello.stdout")), await cluster.OutputAsync(hello.Id));
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("deep-recursion.stdout")), await cluster.OutputAsync(deep.Id));
    }

    [Fact]
    public async Task Trap_FailsWithReason_AndAgentKeepsServing()
    {
        var trap = await cluster.DeployAsync(await cluster.UploadAsync("trap", TrappingModule), nodeClass: "Edge");
        var failed = await cluster.WaitFinishedAsync(trap.Id);
        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.Contains("unreachable", failed.FailureReason);

        var next = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge", args: ["3"]);
        var done = await cluster.WaitFinishedAsync(next.Id);
        Assert.Equal(WorkloadState.Completed, done.State);
        Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Expected("hello-3.stdout")), await cluster.OutputAsync(next.Id));
    }

    [Fact]
    public async Task MemoryLimit_Exceeded_FailsWithReason_AndAgentKeepsServing()
    {
        var heap = await cluster.DeployAsync(await cluster.ModuleHashAsync("big-heap"), nodeClass: "Cloud", memoryLimitMiB: 16);
        var failed = await cluster.WaitFinishedAsync(heap.Id);
        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.False(string.IsNullOrWhiteSpace(failed.FailureReason));

        var next = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Cloud", args: ["3"]);
        Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(next.Id)).State);
    }

    [Fact]
    public async Task Stop_RunningWorkload_AgentStopsWritingOutput()
    {
        var long_ = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge", args: ["100000"]);
        await cluster.WaitUntilAsync(async () => (await cluster.OutputAsync(long_.Id)).Length > 100, TimeSpan.FromSeconds(30), "output to start");

        var stopped = await (await cluster.Api.PostAsync($"/api/workloads/{long_.Id}/stop", null)).Content.ReadFromJsonAsync<WorkloadDto>();
        Assert.Equal(WorkloadState.Stopped, stopped!.State);
        await Task.Delay(1000);
        var after = (await cluster.OutputAsync(long_.Id)).Length;
        await Task.Delay(1500);
        Assert.Equal(after, (await cluster.OutputAsync(long_.Id)).Length);
        var node = await cluster.Api.GetFromJsonAsync<NodeDto>($"/api/nodes/{long_.NodeId}");
        Assert.Equal(0, node!.MemoryAllocatedBytes);
    }
}
