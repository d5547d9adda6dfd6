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
        // The agent ends the copy (and says so) rather than letting it run on.
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.AgentLog(long_.NodeName!).Contains($"Workload {long_.Id} Stopped", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the agent to end the stopped copy");
        // A workload run on the same agent afterwards reports through the same ordered outbox: once it completed,
        // everything the stopped copy wrote has arrived. A second one shows that nothing more came meanwhile.
        var lengths = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            var next = await cluster.DeployAsync(await cluster.ModuleHashAsync("hello"), nodeClass: "Edge", args: ["3"]);
            Assert.Equal(WorkloadState.Completed, (await cluster.WaitFinishedAsync(next.Id)).State);
            lengths.Add((await cluster.OutputAsync(long_.Id)).Length);
        }
        Assert.True(lengths[0] == lengths[1], $"the stopped workload's output grew from {lengths[0]} to {lengths[1]} bytes after its agent ended it");
        Assert.Equal(0, (await NodeAsync(long_.NodeId!.Value)).MemoryAllocatedBytes);
    }

    private async Task<NodeDto> NodeAsync(Guid id) => (await cluster.Api.GetFromJsonAsync<NodeDto>($"/api/nodes/{id}"))!;
}
