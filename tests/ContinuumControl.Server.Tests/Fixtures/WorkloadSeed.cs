using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Writes workloads (with output and a migration) straight into the control plane's database: history without running it.</summary>
public static class WorkloadSeed
{
    public static async Task<Node> NodeAsync(ControlPlaneFactory factory, string name, DateTimeOffset now)
    {
        await using var db = await Db(factory);
        var node = new Node { Id = Guid.NewGuid(), Name = name, Architecture = "x64", Cores = 2, MemoryBytes = 1L << 30, State = NodeState.Ready, RegisteredAt = now, LastHeartbeatAt = now };
        db.Nodes.Add(node);
        await db.SaveChangesAsync();
        return node;
    }

    /// <summary>
    /// A Running workload on <paramref name="nodeId"/> whose last checkpoint names <paramref name="chunks"/>: the node may
    /// fetch those chunks (a recovery restores from them), and no other node may.
    /// </summary>
    public static async Task<Workload> CheckpointedAsync(ControlPlaneFactory factory, Guid nodeId, string moduleHash, params string[] chunks)
    {
        await using var db = await Db(factory);
        var now = DateTimeOffset.UtcNow;
        var workload = new Workload
        {
            Id = Guid.NewGuid(),
            Name = $"checkpointed-{Guid.NewGuid():N}",
            ModuleHash = moduleHash,
            MemoryLimitBytes = 1 << 20,
            State = WorkloadState.Running,
            NodeId = nodeId,
            Generation = 1,
            CreatedAt = now,
            StartedAt = now,
            CheckpointManifestJson = TestManifests.Json("checkpointed", 1, chunks),
            CheckpointedAt = now,
        };
        db.Workloads.Add(workload);
        await db.SaveChangesAsync();
        return workload;
    }

    /// <summary>One workload per entry, created one second apart from <paramref name="start"/>; finished ones finish a minute after creation.</summary>
    public static Task<List<Workload>> WorkloadsAsync(ControlPlaneFactory factory, string namePrefix, DateTimeOffset start, Guid? nodeId, params WorkloadState[] states) =>
        WorkloadsAsync(factory, namePrefix, start, TimeSpan.FromSeconds(1), nodeId, states);

    /// <summary>As above, created <paramref name="spacing"/> apart (zero: all in the same millisecond).</summary>
    public static async Task<List<Workload>> WorkloadsAsync(ControlPlaneFactory factory, string namePrefix, DateTimeOffset start, TimeSpan spacing, Guid? nodeId, params WorkloadState[] states)
    {
        await using var db = await Db(factory);
        var rows = states.Select((state, i) =>
        {
            var created = start + (spacing * i);
            var finished = state is WorkloadState.Completed or WorkloadState.Failed or WorkloadState.Stopped;
            return new Workload
            {
                Id = Guid.NewGuid(),
                Name = $"{namePrefix}-{i:D4}",
                ModuleHash = new string('a', 64),
                MemoryLimitBytes = 1 << 20,
                State = state,
                NodeId = nodeId,
                Generation = 1,
                CreatedAt = created,
                StartedAt = created,
                FinishedAt = finished ? created.AddMinutes(1) : null,
                ExitCode = finished ? 0 : null,
            };
        }).ToList();
        db.Workloads.AddRange(rows);
        foreach (var w in rows)
        {
            db.OutputChunks.Add(new OutputChunk { WorkloadId = w.Id, Stream = OutputStream.Stdout, Offset = 0, Data = "hello\n"u8.ToArray() });
            if (nodeId is { } node)
            {
                db.Migrations.Add(new Migration { Id = Guid.NewGuid(), WorkloadId = w.Id, SourceNodeId = node, TargetNodeId = node, SourceGeneration = 1, Phase = MigrationPhase.Completed, RequestedAt = w.CreatedAt, FinishedAt = w.CreatedAt });
            }
        }
        await db.SaveChangesAsync();
        return rows;
    }

    public static async Task<ControlPlaneDbContext> Db(ControlPlaneFactory factory) =>
        await factory.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
}
