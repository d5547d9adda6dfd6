using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Agents;
using ContinuumControl.Server.Checkpoints;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Recovery;
using ContinuumControl.Server.Workloads;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.AgentSessions;

/// <summary>The hub node agents connect to with their node credential (or, to register a new node, the join token).</summary>
[Authorize(Policy = Security.AuthSchemes.AgentPolicy)]
public sealed class AgentHub(
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    AgentConnections connections,
    HeartbeatAbsorber absorber,
    WorkloadLifecycle workloads,
    OutputLog log,
    Migrations.MigrationCoordinator migrations,
    ClusterEvents events,
    AgentCommands commands,
    Orchestration.OffloadRequests offloads,
    WriteBehindChunkStore chunks,
    ServerOptions options,
    RunRecovery recovery,
    TimeProvider time,
    ILogger<AgentHub> logger) : Hub<IAgentClient>, IAgentHub
{
    private int TtlMs => (int)options.HeartbeatTtl.TotalMilliseconds;

    public async Task<RegisterResult> Register(RegisterRequest request)
    {
        var node = request?.Node ?? throw new HubException("Register needs a node descriptor.");
        var nodeClass = NodeDescriptorValidator.Validate(node);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var (row, issued) = await AdmitAsync(db, node, now);
        row.Class = nodeClass;
        row.Architecture = node.Architecture;
        row.Cores = node.Cores;
        row.MemoryBytes = node.MemoryBytes;
        row.Labels = new Dictionary<string, string>(node.Labels);
        row.Capabilities = [.. node.Capabilities];
        row.AgentVersion = node.AgentVersion;
        row.MarkRegistered(now);

        var running = request.Running ?? [];
        var (discard, resend, lost) = await ReconcileAsync(db, row.Id, node.Name, running, now);
        var resume = running.Where(r => r.Paused && !discard.Contains(r.WorkloadId) && !migrations.IsMigrating(r.WorkloadId)).Select(r => r.WorkloadId).ToList();
        try
        {
            await db.SaveChangesAsync(Context.ConnectionAborted);
        }
        catch (DbUpdateException) when (issued is not null)
        {
            // Another join-token registration under the same name won the race for it.
            throw new HubException(Nodes.NodeCredentials.NameHeld(node.Name, row.Id));
        }
        if (lost > 0)
        {
            recovery.Poke();
        }
        connections.Bind(row.Id, Context.ConnectionId, Context.Abort);
        absorber.Track(row.Id);
        logger.LogInformation("Node {Node} ({Class}, {Arch}) registered; {Discard} stale workloads to discard, {Resend} to start",
            node.Name, nodeClass, node.Architecture, discard.Count, resend.Count);

        await events.PublishNodesAsync(db, [row.Id], Context.ConnectionAborted);
        var hashes = await db.Modules.AsNoTracking().ToDictionaryAsync(m => m.Hash, m => m.InstrumentedHash, Context.ConnectionAborted);
        foreach (var workload in resend)
        {
            await commands.Launch(Clients.Caller, workload, hashes.GetValueOrDefault(workload.ModuleHash, workload.ModuleHash));
        }
        return new RegisterResult(row.Id, TtlMs, discard, resume, issued);
    }

    /// <summary>
    /// Who may register as this node: the holder of its credential, or, with the join token, anyone while no credential
    /// holds the name; such a first registration issues the node's credential (returned once). A connection that already
    /// registered as the node may register again (the agent does when the server forgot it).
    /// </summary>
    private async Task<(Node Row, string? Issued)> AdmitAsync(ControlPlaneDbContext db, NodeDescriptor node, DateTimeOffset now)
    {
        if (Security.NodeClaims.NodeOf(Context.User) is { } ownId)
        {
            var own = await db.Nodes.FirstOrDefaultAsync(n => n.Id == ownId, Context.ConnectionAborted)
                ?? throw new HubException("This node credential's node no longer exists; delete the agent's node-credential file and start it again to register with the join token.");
            if (own.Name != node.Name)
            {
                throw new HubException($"This node credential belongs to node '{own.Name}', not '{node.Name}'. Set Agent:Name back to '{own.Name}', or give the new name its own data directory (the agent then registers it with the join token).");
            }
            return (own, null);
        }
        var row = await db.Nodes.FirstOrDefaultAsync(n => n.Name == node.Name, Context.ConnectionAborted);
        if (row is not null && await db.NodeCredentials.AnyAsync(c => c.NodeId == row.Id, Context.ConnectionAborted))
        {
            if (connections.NodeOf(Context.ConnectionId) == row.Id)
            {
                return (row, null);
            }
            logger.LogWarning("Refused a registration with the join token as node {Node}: the name is held by the node's own credential", node.Name);
            throw new HubException(Nodes.NodeCredentials.NameHeld(node.Name, row.Id));
        }
        if (row is null)
        {
            row = new Node { Id = Guid.NewGuid(), Name = node.Name, Architecture = node.Architecture, RegisteredAt = now, State = NodeState.Ready };
            db.Nodes.Add(row);
        }
        return (row, Nodes.NodeCredentials.Issue(db, row.Id, now));
    }

    /// <summary>
    /// Squares what the agent runs with what the server placed on it: copies the server does not know, placed elsewhere or
    /// under another generation are discarded (never two running copies); runs the agent lost (it was killed, crashed or
    /// restarted) are recovered as a lost node's are, by the <see cref="RunRecovery"/> (unless their restart policy is
    /// Never); Pending work is (re)sent. A workload in a migration is left to the migration, which recovers it if its
    /// source lost it.
    /// </summary>
    private async Task<(List<Guid> Discard, List<Workload> Resend, int Lost)> ReconcileAsync(
        ControlPlaneDbContext db, Guid nodeId, string nodeName, IReadOnlyList<RunningWorkload> running, DateTimeOffset now)
    {
        var reportedIds = running.Select(r => r.WorkloadId).ToList();
        var relevant = await db.Workloads
            .Where(w => w.NodeId == nodeId || reportedIds.Contains(w.Id))
            .ToListAsync(Context.ConnectionAborted);
        var byId = relevant.ToDictionary(w => w.Id);
        var discard = running
            .Where(r => !byId.TryGetValue(r.WorkloadId, out var w) || w.NodeId != nodeId || w.Generation != r.Generation || w.IsFinished)
            .Select(r => r.WorkloadId)
            .ToList();
        var resend = new List<Workload>();
        var lost = 0;
        foreach (var w in relevant.Where(w => w.NodeId == nodeId && !w.IsFinished && !migrations.IsMigrating(w.Id)))
        {
            var isRunning = running.Any(r => r.WorkloadId == w.Id && r.Generation == w.Generation);
            if (isRunning)
            {
                continue;
            }
            if (w.State == WorkloadState.Pending)
            {
                resend.Add(w);
            }
            else
            {
                var recovered = w.LoseRun($"its agent on {nodeName} restarted without it (killed, crashed or rebooted)", now);
                lost += recovered ? 1 : 0;
                logger.LogWarning("Node {Node} lost workload {Workload}: {What}", nodeName, w.Name, RunRecovery.Describe(w));
                events.Publish(new Contracts.Api.ClusterChange(Contracts.Api.ClusterChangeKind.WorkloadUpserted, Workload: w.ToDto(recovered ? null : nodeName)));
            }
        }
        return (discard, resend, lost);
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
        if (!await IsCurrentCopyAsync(nodeId, report.WorkloadId, report.Generation))
        {
            return new CheckpointAck(false, Reason: "not the current copy of the workload");
        }
        // A lost node's workload resumes from this checkpoint, so it is recorded only once all of it is on disk.
        if (await chunks.EnsureStoredAsync(manifest.ChunkHashes(), Context.ConnectionAborted) is { } problem)
        {
            logger.LogWarning("Checkpoint of workload {Workload} from node {Node} not recorded: {Problem}", report.WorkloadId, nodeId, problem);
            return new CheckpointAck(false, ChunksMissing: true, Reason: $"{problem}; upload every chunk again with the next checkpoint");
        }
        await workloads.RecordCheckpointAsync(nodeId, report, Context.ConnectionAborted);
        return new CheckpointAck(true);
    }

    public async Task RequestOffload(OffloadRequest request)
    {
        var nodeId = RequireNode();
        if (request is null || string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new HubException("RequestOffload needs a workload id, a generation and a reason.");
        }
        if (await IsCurrentCopyAsync(nodeId, request.WorkloadId, request.Generation))
        {
            offloads.Add(nodeId, request);
        }
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
        return Task.FromResult(new HeartbeatAck(known, TtlMs));
    }

    public async Task ReportStatus(WorkloadStatusReport report)
    {
        var nodeId = RequireNode();
        if (report is null || !Enum.TryParse<WorkloadState>(report.State, ignoreCase: true, out var state) || state == WorkloadState.Pending)
        {
            throw new HubException($"'{report?.State}' is not a reportable state; use Queued, Running, Suspended, Completed, Failed or Stopped.");
        }
        if (await IsCurrentCopyAsync(nodeId, report.WorkloadId, report.Generation))
        {
            await workloads.ApplyReportAsync(nodeId, report.WorkloadId, report.Generation, state, report.ExitCode, report.Reason, Context.ConnectionAborted);
        }
    }

    public async Task AppendOutput(OutputAppend output)
    {
        var nodeId = RequireNode();
        if (output is null || output.Data is null || output.Offset < 0 || !OutputLog.TryParseStream(output.Stream, out var stream))
        {
            throw new HubException("AppendOutput needs a workload id, stream stdout|stderr, a non-negative offset and data.");
        }
        if (!await IsCurrentCopyAsync(nodeId, output.WorkloadId, output.Generation))
        {
            return;
        }
        await log.AppendAsync(output.WorkloadId, stream, output.Offset, output.Data, Context.ConnectionAborted);
    }

    public async Task ReportMigration(MigrationReport report)
    {
        var nodeId = RequireNode();
        if (report is null)
        {
            throw new HubException("ReportMigration needs a report.");
        }
        if (!await migrations.DeliverAsync(nodeId, report) && report.Kind == MigrationReportKinds.Restored)
        {
            // A target restored for a migration that is over without a commit (aborted, or the control plane restarted).
            await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
            var migration = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(m => m.Id == report.MigrationId, Context.ConnectionAborted);
            if (migration is { Phase: not Domain.Migrations.MigrationPhase.Completed } && migration.TargetNodeId == nodeId)
            {
                await Clients.Caller.DiscardWorkload(new WorkloadRef(migration.WorkloadId, migration.TargetGeneration));
            }
        }
    }

    /// <summary>
    /// True when the caller runs the copy of the workload the server placed there under this generation. Any other
    /// copy is stale (a node back from a partition, a target of an aborted migration): it is told to discard itself,
    /// so two copies never keep running.
    /// </summary>
    private async Task<bool> IsCurrentCopyAsync(Guid nodeId, Guid workloadId, long generation)
    {
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var owner = await db.Workloads.AsNoTracking().Where(w => w.Id == workloadId).Select(w => new { w.NodeId, w.Generation }).FirstOrDefaultAsync(Context.ConnectionAborted);
        if (owner is not null && owner.NodeId == nodeId && owner.Generation == generation)
        {
            return true;
        }
        if (owner is null || owner.Generation != generation || owner.NodeId != nodeId)
        {
            logger.LogWarning("Stale copy of workload {Workload} (generation {Generation}) on node {Node}: telling it to discard", workloadId, generation, nodeId);
            await Clients.Caller.DiscardWorkload(new WorkloadRef(workloadId, generation));
        }
        return false;
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

    private Guid RequireNode() =>
        connections.NodeOf(Context.ConnectionId) ?? throw new HubException("This connection has not registered; call Register first.");
}
