using ContinuumControl.Agent.Connection;
using ContinuumControl.Agent.Tests.Support;
using ContinuumControl.Contracts.Agents;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContinuumControl.Agent.Tests.Connection;

public sealed class OutboxTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cc-outbox-tests", Guid.NewGuid().ToString("N"));
    private readonly RecordingLogger<Outbox> _log = new();

    [Fact]
    public async Task Partition_ManyReports_StaysWithinMemoryAndSpillThenReportsWhatItDropped()
    {
        var outbox = new Outbox(_log, new AgentOptions { DataDirectory = _directory, Outbox = new OutboxOptions { MemoryEntries = 100, SpillBytes = 64 * 1024 } });
        var hub = new RecordingHub();
        HubConnection? connected = null;
        using var stopping = new CancellationTokenSource();
        var delivery = outbox.RunAsync(() => connected, stopping.Token);
        var workload = Guid.NewGuid();

        // The server is unreachable: a long run keeps reporting, with some output and a final state that must arrive.
        for (var i = 0; i < 5_000; i++)
        {
            outbox.Enqueue(new WorkloadStatusReport(workload, 1, WorkloadState.Running, null, $"interim {i}"), (h, r) => h.InvokeAsync(nameof(IAgentHub.ReportStatus), r), droppable: true, kind: "interim status report");
            if (i % 100 == 0)
            {
                outbox.Enqueue(new OutputAppend(workload, 1, "stdout", i, [(byte)(i / 100)]), (h, a) => h.InvokeAsync(nameof(IAgentHub.AppendOutput), a), droppable: false, kind: "output");
            }
            Assert.True(outbox.InMemory <= 100, $"{outbox.InMemory} messages in memory");
            Assert.True(outbox.SpilledBytes <= 64 * 1024, $"{outbox.SpilledBytes} bytes spilled");
        }
        outbox.Enqueue(new WorkloadStatusReport(workload, 1, WorkloadState.Completed, 0, null), (h, r) => h.InvokeAsync(nameof(IAgentHub.ReportStatus), r), droppable: false, kind: "status report");
        var onDisk = Directory.GetFiles(Path.Combine(_directory, "outbox")).Sum(f => new FileInfo(f).Length);
        Assert.InRange(onDisk, 1, 64 * 1024);
        var dropped = outbox.DroppedNotReported["interim status report"];
        Assert.True(dropped > 0);
        Assert.Contains(_log.Entries, e => e.Message.Contains("dropped the oldest interim status report", StringComparison.Ordinal));

        connected = hub;
        await hub.WaitUntilAsync(() => outbox.Pending == 0, "the outbox to drain");
        var calls = hub.Calls();
        var report = Assert.IsType<OutboxDropReport>(calls[0].Argument);
        Assert.Equal(nameof(IAgentHub.ReportOutboxDropped), calls[0].Method);
        Assert.Equal(dropped, report.DroppedByKind["interim status report"]);
        // Nothing required was lost, and the order held across memory and spill.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), hub.Sent<OutputAppend>().Select(a => a.Data[0]));
        Assert.Equal(WorkloadState.Completed, hub.States(workload)[^1]);
        Assert.Equal("interim 4999", hub.Statuses(workload)[^2].Reason);
        Assert.Equal(5_000 - dropped + 1, hub.Statuses(workload).Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "outbox")));
        Assert.Empty(outbox.DroppedNotReported);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
    }

    [Fact]
    public async Task Partition_OnlyRequiredMessages_AreKeptPastTheSpillLimit()
    {
        var outbox = new Outbox(_log, new AgentOptions { DataDirectory = _directory, Outbox = new OutboxOptions { MemoryEntries = 10, SpillBytes = 1024 } });
        var hub = new RecordingHub();
        HubConnection? connected = null;
        using var stopping = new CancellationTokenSource();
        var delivery = outbox.RunAsync(() => connected, stopping.Token);
        var workload = Guid.NewGuid();
        for (var i = 0; i < 200; i++)
        {
            outbox.Enqueue(new OutputAppend(workload, 1, "stdout", i, [(byte)i]), (h, a) => h.InvokeAsync(nameof(IAgentHub.AppendOutput), a), droppable: false, kind: "output");
        }
        Assert.Empty(outbox.DroppedNotReported);

        connected = hub;
        await hub.WaitUntilAsync(() => outbox.Pending == 0, "the outbox to drain");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (byte)i), hub.Sent<OutputAppend>().Select(a => a.Data[0]));
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
