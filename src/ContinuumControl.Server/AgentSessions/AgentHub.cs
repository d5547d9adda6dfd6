using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Migrations;
using ContinuumControl.Server.Workloads;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>
/// The hub node agents connect to with their node credential (or, to register a new node, the join token). It checks
/// that each message is well formed, hands it to the service that decides, and tells the agent the outcome: a stale
/// copy to discard, work to start.
/// </summary>
[Authorize(Policy = Security.AuthSchemes.AgentPolicy)]
public sealed class AgentHub(
    NodeRegistration registration,
    WorkloadReports reports,
    CurrentCopies copies,
    AgentConnections connections,
    HeartbeatAbsorber absorber,
    AgentCommands commands,
    MigrationCoordinator migrations,
    NodeTelemetry telemetry,
    ServerOptions options,
    ILogger<AgentHub> logger) : Hub<IAgentClient>, IAgentHub
{
    private int TtlMs => (int)options.HeartbeatTtl.TotalMilliseconds;

    public async Task<RegisterResult> Register(RegisterRequest request)
    {
        if (request?.Node is null)
        {
            throw new HubException("Register needs a node descriptor.");
        }
        using var activity = NodeTelemetry.StartRegistration(request.Node.Name);
        Registration registered;
        try
        {
            registered = await registration.RegisterAsync(Context.User ?? new(), Context.ConnectionId, Context.Abort, request, Context.ConnectionAborted);
        }
        catch (AgentRefusedException ex)
        {
            telemetry.Registered(activity, accepted: false, ex.Message);
            throw new HubException(ex.Message);
        }
        telemetry.Registered(activity, accepted: true);
        foreach (var (workload, moduleHash) in registered.Launches)
        {
            await commands.Launch(Clients.Caller, workload, moduleHash);
        }
        return new RegisterResult(registered.NodeId, TtlMs, registered.Reconciled.Discard, registered.Reconciled.Resume, registered.IssuedCredential);
    }

    public async Task<CheckpointAck> ReportCheckpoint(CheckpointReport report)
    {
        var nodeId = RequireNode();
        if (report is null || string.IsNullOrWhiteSpace(report.ManifestJson))
        {
            throw new HubException("ReportCheckpoint needs a workload id, a generation and the manifest JSON.");
        }
        CheckpointManifest manifest;
        try
        {
            manifest = CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(report.ManifestJson));
        }
        catch (CheckpointRejectedException ex)
        {
            throw new HubException($"ReportCheckpoint: the manifest is not a checkpoint manifest ({ex.Message}); nothing was recorded.");
        }
        var (ack, current) = await reports.CheckpointAsync(nodeId, report, manifest, Context.ConnectionAborted);
        await DiscardUnlessAsync(current, report.WorkloadId, report.Generation);
        return ack;
    }

    public async Task RequestOffload(OffloadRequest request)
    {
        var nodeId = RequireNode();
        if (request is null || string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new HubException("RequestOffload needs a workload id, a generation and a reason.");
        }
        await DiscardUnlessAsync(await reports.OffloadAsync(nodeId, request, Context.ConnectionAborted), request.WorkloadId, request.Generation);
    }

    public Task ReportOutboxDropped(OutboxDropReport report)
    {
        var nodeId = RequireNode();
        if (report?.DroppedByKind is null)
        {
            throw new HubException("ReportOutboxDropped needs the dropped counts by kind.");
        }
        // Nothing to repair: only superseded messages (interim states, periodic checkpoints, offload requests) are
        // dropped; the operator learns that this node's view was stale for a while.
        logger.LogWarning("Node {Node} dropped {Count} outbox messages during a partition between {First} and {Last}: {Kinds}",
            nodeId, report.DroppedByKind.Values.Sum(), report.FirstDropAt, report.LastDropAt,
            string.Join(", ", report.DroppedByKind.Select(k => $"{k.Value} {k.Key}")));
        return Task.CompletedTask;
    }

    public Task<HeartbeatAck> Heartbeat(Heartbeat heartbeat)
    {
        var known = heartbeat is not null && connections.NodeOf(Context.ConnectionId) == heartbeat.NodeId && absorber.Record(heartbeat);
        telemetry.Heartbeat(known);
        return Task.FromResult(new HeartbeatAck(known, TtlMs));
    }

    public async Task ReportStatus(WorkloadStatusReport report)
    {
        var nodeId = RequireNode();
        if (report is null || !Enum.IsDefined(report.State) || report.State == WorkloadState.Pending)
        {
            throw new HubException($"'{report?.State}' is not a reportable state; use Queued, Running, Suspended, Completed, Failed or Stopped.");
        }
        await DiscardUnlessAsync(await reports.StateAsync(nodeId, report, report.State, Context.ConnectionAborted), report.WorkloadId, report.Generation);
    }

    public async Task AppendOutput(OutputAppend output)
    {
        var nodeId = RequireNode();
        if (output is null || output.Data is null || output.Offset < 0 || !OutputLog.TryParseStream(output.Stream, out var stream))
        {
            throw new HubException("AppendOutput needs a workload id, stream stdout|stderr, a non-negative offset and data.");
        }
        await DiscardUnlessAsync(await reports.OutputAsync(nodeId, output, stream, Context.ConnectionAborted), output.WorkloadId, output.Generation);
    }

    public async Task ReportMigration(MigrationReport report)
    {
        var nodeId = RequireNode();
        if (report is null)
        {
            throw new HubException("ReportMigration needs a report.");
        }
        if (!await migrations.DeliverAsync(nodeId, report) && report.Kind == MigrationReportKind.Restored
            && await copies.StrayTargetAsync(nodeId, report.MigrationId, Context.ConnectionAborted) is { } stray)
        {
            await Clients.Caller.DiscardWorkload(stray);
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.NodeOf(Context.ConnectionId) is { } nodeId)
        {
            migrations.NodeDisconnected(nodeId);
        }
        connections.Unbind(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>A report from a stale copy is not applied; the copy is told to discard itself (never two copies).</summary>
    private async Task DiscardUnlessAsync(bool current, Guid workloadId, long generation)
    {
        if (!current)
        {
            await Clients.Caller.DiscardWorkload(new WorkloadRef(workloadId, generation));
        }
    }

    private Guid RequireNode() =>
        connections.NodeOf(Context.ConnectionId) ?? throw new HubException("This connection has not registered; call Register first.");
}
