using ContinuumControl.Contracts.Agents;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>An agent whose outbox dropped superseded messages during a partition says so once it is back.</summary>
public sealed class OutboxDropReportTests(SqliteControlPlaneFactory factory) : IClassFixture<SqliteControlPlaneFactory>
{
    [Fact]
    public async Task ReportOutboxDropped_FromARegisteredNode_IsTaken()
    {
        await using var agent = await TestAgent.JoinAsync(factory, $"drops-{Guid.NewGuid():N}"[..16]);
        var now = DateTimeOffset.UtcNow;
        await agent.Hub.InvokeAsync(nameof(IAgentHub.ReportOutboxDropped),
            new OutboxDropReport(new Dictionary<string, int> { ["interim status report"] = 12, ["periodic checkpoint report"] = 3 }, now.AddMinutes(-5), now));
        Assert.True((await agent.HeartbeatAsync()).Known);
    }

    [Fact]
    public async Task ReportOutboxDropped_WithoutCounts_IsRefusedSayingWhatItNeeds()
    {
        await using var agent = await TestAgent.JoinAsync(factory, $"drops-{Guid.NewGuid():N}"[..16]);
        var error = await Assert.ThrowsAsync<HubException>(() => agent.Hub.InvokeAsync(nameof(IAgentHub.ReportOutboxDropped), new OutboxDropReport(null!, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)));
        Assert.Contains("dropped counts", error.Message);
    }

    [Fact]
    public async Task ReportOutboxDropped_BeforeRegister_IsRefused()
    {
        await using var hub = TestAgent.Connect(factory, ControlPlaneFactory.JoinToken);
        await hub.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(IAgentHub.ReportOutboxDropped),
            new OutboxDropReport(new Dictionary<string, int> { ["offload request"] = 1 }, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)));
        Assert.Contains("Register first", error.Message);
    }
}
