using System.Net.Http.Json;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Api;

public abstract class AgentHubTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Register_ShowsNodeReadyWithItsDescription()
    {
        var name = Unique("cloud");
        await using var agent = await TestAgent.JoinAsync(factory, name, "Cloud", 512, new Dictionary<string, string> { ["gpu"] = "none" });
        var node = await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{agent.NodeId}");
        Assert.Equal(name, node!.Name);
        Assert.Equal(NodeClass.Cloud, node.Class);
        Assert.Equal(NodeState.Ready, node.State);
        Assert.Equal(512L * 1024 * 1024, node.MemoryBytes);
        Assert.Equal("none", node.Labels["gpu"]);
    }

    [Fact]
    public async Task Register_InvalidDescriptor_IsRefusedNamingEveryProblem()
    {
        await using var hub = TestAgent.Connect(factory, ControlPlaneFactory.JoinToken);
        await hub.StartAsync();
        var bad = new NodeDescriptor("", "Fog", "", 0, 0, new Dictionary<string, string>(), [], "test");
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RegisterResult>(nameof(IAgentHub.Register), new RegisterRequest(bad, [])));
        Assert.Contains("Name", error.Message);
        Assert.Contains("Edge or Cloud", error.Message);
        Assert.Contains("Cores", error.Message);
        Assert.Contains("MemoryBytes", error.Message);
    }

    [Fact]
    public async Task Calls_BeforeRegister_AreRefused()
    {
        await using var hub = TestAgent.Connect(factory, ControlPlaneFactory.JoinToken);
        await hub.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(IAgentHub.ReportStatus), new WorkloadStatusReport(Guid.NewGuid(), 1, WorkloadState.Running, null, null)));
        Assert.Contains("Register first", error.Message);
    }

    [Fact]
    public async Task Heartbeat_FromUnknownNode_AsksToRegisterAgain()
    {
        await using var agent = await TestAgent.JoinAsync(factory, Unique("hb"));
        var ack = await agent.Hub.InvokeAsync<HeartbeatAck>(nameof(IAgentHub.Heartbeat), new Heartbeat(Guid.NewGuid(), 0, 0, 0, 0));
        Assert.False(ack.Known);
        Assert.True((await agent.HeartbeatAsync()).Known);
    }

    [Fact]
    public async Task Heartbeats_AreWrittenInBatches_AndSilenceMarksNodeDown()
    {
        await using var agent = await TestAgent.JoinAsync(factory, Unique("ttl"));
        await agent.HeartbeatAsync();
        var node = await PollNodeAsync(agent.NodeId, n => n.CpuPercent > 12);
        Assert.Equal(12.5, node.CpuPercent);

        var down = await PollNodeAsync(agent.NodeId, n => n.State == NodeState.Down, TimeSpan.FromSeconds(factory.HeartbeatTtlSeconds + 8));
        Assert.Equal(NodeState.Down, down.State);
        Assert.False((await agent.HeartbeatAsync()).Known);

        await agent.RegisterAsync(TestAgent.Descriptor(node.Name), []);
        Assert.Equal(NodeState.Ready, (await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{agent.NodeId}"))!.State);
    }

    [Fact]
    public async Task Reregister_SameName_KeepsNodeId()
    {
        var name = Unique("same");
        await using var first = await TestAgent.JoinAsync(factory, name);
        await using var second = await TestAgent.JoinAsync(factory, name);
        Assert.Equal(first.NodeId, second.NodeId);
    }

    [Fact]
    public async Task Reconcile_DiscardsUnknownCopies_ResendsPending_RecoversLostWork_FailsNeverPolicy()
    {
        var name = Unique("rec");
        var zone = Unique("zone");
        var labels = new Dictionary<string, string> { ["zone"] = zone };
        // Uploaded first: instrumenting can wait for a turn behind other tests' uploads, and this agent sends no
        // heartbeats, so its node would be Down (TTL 2 s + 1 s grace) before the workloads are placed.
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        await using var agent = await TestAgent.JoinAsync(factory, name, labels: labels);
        var running = await CreatedAsync(new { moduleHash = hash, labels });
        var never = await CreatedAsync(new { moduleHash = hash, labels, restart = new { policy = "Never" } });
        var pending = await CreatedAsync(new { moduleHash = hash, labels });
        for (var i = 0; i < 3; i++)
        {
            await agent.NextStartAsync();
        }
        await agent.ReportAsync(running.Id, 1, WorkloadState.Running);
        await agent.ReportAsync(never.Id, 1, WorkloadState.Running);
        await agent.AppendAsync(running.Id, 1, 0, "partial output of the lost run\n");

        var stranger = Guid.NewGuid();
        var result = await agent.RegisterAsync(TestAgent.Descriptor(name, labels: labels), [new RunningWorkload(stranger, 1)]);

        Assert.Equal([stranger], result.Discard);
        // The pending one is sent again; the lost run is placed again (the only node that fits is this one), from the beginning.
        var starts = new[] { await agent.NextStartAsync(), await agent.NextStartAsync() }.ToDictionary(s => s.WorkloadId, s => s.Generation);
        Assert.Equal(1, starts[pending.Id]);
        Assert.Equal(2, starts[running.Id]);
        var recovered = (await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{running.Id}"))!;
        Assert.Equal((WorkloadState.Pending, 2, 2), (recovered.State, recovered.Generation, recovered.Restart!.AttemptCount));
        Assert.Equal($"its agent on {name} restarted without it (killed, crashed or rebooted)", recovered.Restart.Attempts[0].EndReason);
        Assert.False(recovered.Restart.Attempts[1].FromCheckpoint);
        // Started over: the lost run's partial output is gone, so the new run's output is not appended after it.
        Assert.Empty(await _api.GetByteArrayAsync($"/api/workloads/{running.Id}/output/raw"));
        var failed = (await _api.GetFromJsonAsync<WorkloadDto>($"/api/workloads/{never.Id}"))!;
        Assert.Equal(WorkloadState.Failed, failed.State);
        Assert.Equal($"its agent on {name} restarted without it (killed, crashed or rebooted); restart policy Never, so it is not run again", failed.FailureReason);
    }

    private async Task<WorkloadDto> CreatedAsync(object request)
    {
        var response = await _api.PostAsJsonAsync("/api/workloads", request);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WorkloadDto>())!;
    }

    private async Task<NodeDto> PollNodeAsync(Guid id, Func<NodeDto, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var node = (await _api.GetFromJsonAsync<NodeDto>($"/api/nodes/{id}"))!;
            if (condition(node) || DateTime.UtcNow > deadline)
            {
                return node;
            }
            await Task.Delay(100);
        }
    }
}

public sealed class SqliteAgentHubTests(SqliteControlPlaneFactory factory) : AgentHubTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresAgentHubTests(PostgresControlPlaneFactory factory) : AgentHubTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
