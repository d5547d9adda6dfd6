using ContinuumControl.Domain.Nodes;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ContinuumControl.Server.Agents;

/// <summary>Writes absorbed heartbeats to the database in one batch per interval.</summary>
public sealed class HeartbeatFlushService(
    HeartbeatAbsorber absorber,
    IDbContextFactory<ControlPlaneDbContext> dbFactory,
    ClusterEvents events,
    ServerOptions options,
    TimeProvider time,
    ILogger<HeartbeatFlushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.HeartbeatFlushMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Writing heartbeats failed; they are retried with the next batch");
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var pending = absorber.TakePending();
        if (pending.Count == 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = pending.Select(p => p.NodeId).ToList();
        if (db.Database.IsNpgsql())
        {
            await WriteInOneStatementAsync(db, pending, cancellationToken);
        }
        else
        {
            var nodes = await db.Nodes.Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
            foreach (var (id, liveness) in pending)
            {
                if (nodes.TryGetValue(id, out var node) && liveness.Pending is { } hb)
                {
                    node.LastHeartbeatAt = liveness.LastSeen;
                    node.CpuPercent = hb.CpuPercent;
                    node.MemoryUsedBytes = hb.MemoryUsedBytes;
                    node.ReportedWorkloads = hb.RunningWorkloads;
                    node.Slots = hb.Pressure?.Slots ?? 0;
                    node.SlotsUsed = hb.Pressure?.SlotsUsed ?? 0;
                    node.QueuedWorkloads = hb.Pressure?.Queued ?? hb.QueuedWorkloads;
                    node.SuspendedWorkloads = hb.Pressure?.Suspended ?? 0;
                    node.EnergyLevel = hb.Energy?.Level;
                    node.EnergyHarvestWatts = hb.Energy?.HarvestWatts;
                    node.EnergySecondsLeft = hb.Energy?.SecondsLeft;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await events.PublishNodesAsync(db, ids, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: the same heartbeat columns of the same rows in one UPDATE ... FROM unnest(arrays) (nodes no longer in
    /// the table are skipped, as above). Loading and tracking every node and sending one UPDATE per row cost tens of
    /// milliseconds of CPU per flush with 1,000 agents. Table and column names and the stored form of the timestamp
    /// come from the EF model, so the statement follows the mapping.
    /// </summary>
    private static Task WriteInOneStatementAsync(ControlPlaneDbContext db, List<(Guid NodeId, NodeLiveness Liveness)> pending, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(Node))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var lastSeen = entity.FindProperty(nameof(Node.LastHeartbeatAt))!;
        var converter = lastSeen.GetTypeMapping().Converter;

        var ids = new Guid[pending.Count];
        var seen = Array.CreateInstance(converter?.ProviderClrType ?? typeof(DateTimeOffset), pending.Count);
        var cpu = new double[pending.Count];
        var memory = new long[pending.Count];
        var reported = new int[pending.Count];
        var slots = new int[pending.Count];
        var slotsUsed = new int[pending.Count];
        var queued = new int[pending.Count];
        var suspended = new int[pending.Count];
        var level = new double?[pending.Count];
        var harvest = new double?[pending.Count];
        var secondsLeft = new double?[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            var (id, liveness) = pending[i];
            ids[i] = id;
            seen.SetValue(converter is null ? liveness.LastSeen : converter.ConvertToProvider(liveness.LastSeen), i);
            cpu[i] = liveness.Pending!.CpuPercent;
            memory[i] = liveness.Pending.MemoryUsedBytes;
            reported[i] = liveness.Pending.RunningWorkloads;
            slots[i] = liveness.Pending.Pressure?.Slots ?? 0;
            slotsUsed[i] = liveness.Pending.Pressure?.SlotsUsed ?? 0;
            queued[i] = liveness.Pending.Pressure?.Queued ?? liveness.Pending.QueuedWorkloads;
            suspended[i] = liveness.Pending.Pressure?.Suspended ?? 0;
            level[i] = liveness.Pending.Energy?.Level;
            harvest[i] = liveness.Pending.Energy?.HarvestWatts;
            secondsLeft[i] = liveness.Pending.Energy?.SecondsLeft;
        }
        var statement =
            $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} AS n " +
            $"SET {Column(nameof(Node.LastHeartbeatAt))} = v.seen, {Column(nameof(Node.CpuPercent))} = v.cpu, {Column(nameof(Node.MemoryUsedBytes))} = v.memory, " +
            $"{Column(nameof(Node.ReportedWorkloads))} = v.reported, {Column(nameof(Node.Slots))} = v.slots, {Column(nameof(Node.SlotsUsed))} = v.used, {Column(nameof(Node.QueuedWorkloads))} = v.queued, " +
            $"{Column(nameof(Node.SuspendedWorkloads))} = v.suspended, {Column(nameof(Node.EnergyLevel))} = v.level, " +
            $"{Column(nameof(Node.EnergyHarvestWatts))} = v.harvest, {Column(nameof(Node.EnergySecondsLeft))} = v.secs " +
            "FROM unnest({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}) AS v(id, seen, cpu, memory, reported, slots, used, queued, suspended, level, harvest, secs) " +
            $"WHERE n.{Column(nameof(Node.Id))} = v.id";
        return db.Database.ExecuteSqlRawAsync(statement, [ids, seen, cpu, memory, reported, slots, slotsUsed, queued, suspended, level, harvest, secondsLeft], cancellationToken);
    }
}
