using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.AgentSessions;
using ContinuumControl.Server.Checkpoints;
using ContinuumControl.Server.Tests.Fixtures;
using ContinuumControl.Server.Workloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.AgentSessions;

/// <summary>Reports count only from the current copy of a workload; a stale copy's reports change nothing and name it for discarding.</summary>
public abstract class WorkloadReportsTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private WorkloadReports Reports => factory.Services.GetRequiredService<WorkloadReports>();

    private CurrentCopies Copies => factory.Services.GetRequiredService<CurrentCopies>();

    [Fact]
    public async Task AStateReport_FromTheCurrentCopy_IsApplied_FromAStaleOne_IsNot()
    {
        var (node, other, workload) = await SeedAsync();

        Assert.False(await Reports.StateAsync(other.Id, new WorkloadStatusReport(workload.Id, 1, WorkloadState.Completed, 0, null), WorkloadState.Completed, default));
        Assert.False(await Reports.StateAsync(node.Id, new WorkloadStatusReport(workload.Id, 2, WorkloadState.Completed, 0, null), WorkloadState.Completed, default));
        Assert.Equal(WorkloadState.Running, await StateAsync(workload.Id));

        Assert.True(await Reports.StateAsync(node.Id, new WorkloadStatusReport(workload.Id, 1, WorkloadState.Completed, 0, null), WorkloadState.Completed, default));
        Assert.Equal(WorkloadState.Completed, await StateAsync(workload.Id));
    }

    [Fact]
    public async Task Output_FromAStaleCopy_IsNotAppended()
    {
        var (node, other, workload) = await SeedAsync();
        var log = factory.Services.GetRequiredService<OutputLog>();
        var end = (await log.ReadAsync(workload.Id, OutputStream.Stdout, 0, OutputLog.MaxReadBytes, default)).End;

        Assert.False(await Reports.OutputAsync(other.Id, new OutputAppend(workload.Id, 1, "stdout", end, "stale\n"u8.ToArray()), OutputStream.Stdout, default));
        Assert.Equal(end, (await log.ReadAsync(workload.Id, OutputStream.Stdout, 0, OutputLog.MaxReadBytes, default)).End);

        Assert.True(await Reports.OutputAsync(node.Id, new OutputAppend(workload.Id, 1, "stdout", end, "current\n"u8.ToArray()), OutputStream.Stdout, default));
        Assert.Equal("hello\ncurrent\n"u8.ToArray(), (await log.ReadAsync(workload.Id, OutputStream.Stdout, 0, OutputLog.MaxReadBytes, default)).Data);
    }

    [Fact]
    public async Task ACheckpoint_IsRecordedOnlyFromTheCurrentCopy_AndOnlyWithAllItsChunksStored()
    {
        var (node, other, workload) = await SeedAsync();
        var chunk = TestChunks.Random();
        var json = TestManifests.Json("reports", 1, chunk.Hash);
        var manifest = CheckpointManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        var report = new CheckpointReport(workload.Id, 1, json, DateTimeOffset.UtcNow, chunk.Bytes.Length);

        var (staleAck, staleCurrent) = await Reports.CheckpointAsync(other.Id, report, manifest, default);
        Assert.False(staleCurrent);
        Assert.False(staleAck.Recorded);

        var (missingAck, current) = await Reports.CheckpointAsync(node.Id, report, manifest, default);
        Assert.True(current);
        Assert.True(missingAck.ChunksMissing);
        Assert.Null(await ManifestAsync(workload.Id));

        await factory.Services.GetRequiredService<WriteBehindChunkStore>().PutAsync(chunk.Hash, chunk.Bytes);
        var (ack, _) = await Reports.CheckpointAsync(node.Id, report, manifest, default);
        Assert.True(ack.Recorded);
        Assert.Equal(json, await ManifestAsync(workload.Id));
    }

    private async Task<string?> ManifestAsync(Guid workloadId)
    {
        await using var db = await WorkloadSeed.Db(factory);
        return await db.Workloads.Where(w => w.Id == workloadId).Select(w => w.CheckpointManifestJson).SingleAsync();
    }

    [Fact]
    public async Task AMigrationTarget_ThatRestoredForAnUncommittedMigration_IsAStrayCopy()
    {
        var (node, other, workload) = await SeedAsync();
        var aborted = await MigrationAsync(workload.Id, node.Id, other.Id, MigrationPhase.Aborted);
        var completed = await MigrationAsync(workload.Id, node.Id, other.Id, MigrationPhase.Completed);

        Assert.Equal(new WorkloadRef(workload.Id, 2), await Copies.StrayTargetAsync(other.Id, aborted, default));
        Assert.Null(await Copies.StrayTargetAsync(node.Id, aborted, default));
        Assert.Null(await Copies.StrayTargetAsync(other.Id, completed, default));
    }

    private async Task<(Domain.Nodes.Node Node, Domain.Nodes.Node Other, Workload Workload)> SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var node = await WorkloadSeed.NodeAsync(factory, $"rep-{Guid.NewGuid():N}"[..20], now);
        var other = await WorkloadSeed.NodeAsync(factory, $"oth-{Guid.NewGuid():N}"[..20], now);
        var workload = (await WorkloadSeed.WorkloadsAsync(factory, "reported", now, node.Id, WorkloadState.Running))[0];
        return (node, other, workload);
    }

    private async Task<WorkloadState> StateAsync(Guid workloadId)
    {
        await using var db = await WorkloadSeed.Db(factory);
        return await db.Workloads.Where(w => w.Id == workloadId).Select(w => w.State).SingleAsync();
    }

    private async Task<Guid> MigrationAsync(Guid workloadId, Guid source, Guid target, MigrationPhase phase)
    {
        await using var db = await WorkloadSeed.Db(factory);
        var migration = new Migration { Id = Guid.NewGuid(), WorkloadId = workloadId, SourceNodeId = source, TargetNodeId = target, SourceGeneration = 1, Phase = phase, RequestedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow };
        db.Migrations.Add(migration);
        await db.SaveChangesAsync();
        return migration.Id;
    }
}

public sealed class SqliteWorkloadReportsTests(SqliteControlPlaneFactory factory) : WorkloadReportsTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresWorkloadReportsTests(PostgresControlPlaneFactory factory) : WorkloadReportsTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
