using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ContinuumControl.Contracts.Agents;
using ContinuumControl.Contracts.Checkpoints;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>Bad migration requests get a clear 4xx and start nothing. (Migrations that run are tested end to end with real agents.)</summary>
public abstract class MigrationsApiTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private readonly HttpClient _api = factory.CreateApiClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private readonly Dictionary<string, string> _labels = new() { ["zone"] = Unique("zone") };

    private async Task<(TestAgent Source, TestAgent Target, WorkloadDto Workload)> RunningWorkloadAsync(bool running = true)
    {
        var labels = _labels;
        var source = await TestAgent.JoinAsync(factory, Unique("src"), labels: labels);
        var hash = (await (await _api.PostAsync("/api/modules", WasmBytes.Content(WasmBytes.Sample("hello.wasm")))).Content.ReadFromJsonAsync<ModuleDto>())!.Hash;
        var workload = (await (await _api.PostAsJsonAsync("/api/workloads", new { moduleHash = hash, labels })).Content.ReadFromJsonAsync<WorkloadDto>())!;
        await source.NextStartAsync();
        var target = await TestAgent.JoinAsync(factory, Unique("dst"), labels: labels);
        if (running)
        {
            await source.ReportAsync(workload.Id, 1, WorkloadState.Running);
        }
        return (source, target, workload);
    }

    /// <summary>Starts a migration without pre-copy and plays the target's Prepared: the source is asked to pause next.</summary>
    private async Task<MigrationDto> MigrateUntilCheckpointAsync(TestAgent source, TestAgent target, WorkloadDto workload)
    {
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId, PreCopy: false));
        response.EnsureSuccessStatusCode();
        var migration = (await response.Content.ReadFromJsonAsync<MigrationDto>())!;
        await TestAgent.NextAsync(target.Prepares);
        await target.ReportMigrationAsync(migration.Id, MigrationReportKind.Prepared);
        Assert.True((await TestAgent.NextAsync(source.Checkpoints)).Pause);
        return migration;
    }

    private async Task<MigrationDto> WaitAsync(Guid migrationId) =>
        (await _api.GetFromJsonAsync<MigrationDto>($"/api/migrations/{migrationId}/wait?timeoutSeconds=20"))!;

    [Fact]
    public async Task FinalDeltaSentInline_IsHandedToTheTarget_AndStoredBeforeTheCommit()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var migration = await MigrateUntilCheckpointAsync(source, target, workload);
        var (hash, page) = TestChunks.Random();
        var batch = ChunkBatch.Write([(hash, page)]);

        await source.ReportMigrationAsync(migration.Id, MigrationReportKind.Checkpointed, TestManifests.Json("inline", 1, hash), batch);

        var restore = await TestAgent.NextAsync(target.Restores);
        Assert.Equal(batch, restore.InlineChunks);
        await target.ReportMigrationAsync(migration.Id, MigrationReportKind.Fetched);
        await target.ReportMigrationAsync(migration.Id, MigrationReportKind.Restored);
        Assert.Equal(MigrationPhase.Completed, (await WaitAsync(migration.Id)).Phase);
        // Stored after the restore command went out (it is checked first), and before the commit (which waits for it).
        Assert.Equal(page, await factory.Services.GetRequiredService<IChunkStore>().GetAsync(hash));
    }

    [Fact]
    public async Task FinalDeltaInline_NotAChunkBatch_AbortsWithTheReason_AndTheSourceResumes()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var migration = await MigrateUntilCheckpointAsync(source, target, workload);

        await source.ReportMigrationAsync(migration.Id, MigrationReportKind.Checkpointed, TestManifests.Json("inline"), [1, 2, 3]);

        Assert.Equal(workload.Id, (await TestAgent.NextAsync(source.Resumes)).WorkloadId);
        var aborted = await WaitAsync(migration.Id);
        Assert.Equal(MigrationPhase.Aborted, aborted.Phase);
        Assert.Contains("the source's report carried chunks that are not a chunk batch", aborted.Reason);
        Assert.Equal(0, target.Restores.Reader.Count);
    }

    [Fact]
    public async Task FinalDeltaInline_MisnamedChunk_AbortsWithTheReason_StoresNothing_AndTheSourceResumes()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var migration = await MigrateUntilCheckpointAsync(source, target, workload);
        var (hash, bytes) = TestChunks.Misnamed();

        await source.ReportMigrationAsync(migration.Id, MigrationReportKind.Checkpointed, TestManifests.Json("inline", 1, hash), ChunkBatch.Write([(hash, bytes)]));

        Assert.Equal(workload.Id, (await TestAgent.NextAsync(source.Resumes)).WorkloadId);
        var aborted = await WaitAsync(migration.Id);
        Assert.Equal(MigrationPhase.Aborted, aborted.Phase);
        Assert.Contains($"the source's report carried a damaged chunk: chunk {hash} is corrupt", aborted.Reason);
        // The restore command went out before the check (it is on the pause's critical path); the target is told to drop it.
        Assert.Equal(workload.Id, (await TestAgent.NextAsync(target.Restores)).Start.WorkloadId);
        Assert.Equal(workload.Id, (await TestAgent.NextAsync(target.Discards)).WorkloadId);
        Assert.Null(await factory.Services.GetRequiredService<IChunkStore>().GetAsync(hash));
    }

    [Fact]
    public async Task Start_UnknownWorkload_Returns404()
    {
        var response = await _api.PostAsJsonAsync($"/api/workloads/{Guid.NewGuid()}/migrations", new StartMigrationRequest());
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not found");
    }

    [Fact]
    public async Task Start_UnknownTargetNode_Returns404()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(Guid.NewGuid()));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "Node not found");
    }

    [Fact]
    public async Task Start_SameNode_Returns409()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(source.NodeId));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "already runs on");
    }

    [Fact]
    public async Task Start_PendingWorkload_Returns409SayingOnlyRunning()
    {
        var (source, target, workload) = await RunningWorkloadAsync(running: false);
        await using var _ = source;
        await using var __ = target;
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "only a Running workload");
    }

    [Fact]
    public async Task Start_FinishedWorkload_Returns409()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        await source.ReportAsync(workload.Id, 1, WorkloadState.Completed, 0);
        await _api.GetAsync($"/api/workloads/{workload.Id}/wait?timeoutSeconds=5");
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "Completed");
    }

    [Fact]
    public async Task Start_TargetTooSmall_Returns409WithTheReason()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        await using var tiny = await TestAgent.JoinAsync(factory, Unique("tiny"), memoryMiB: 16, labels: _labels);
        var response = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(tiny.NodeId));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "not enough memory");
    }

    [Fact]
    public async Task Start_WhileOneIsInFlight_Returns409NamingIt()
    {
        var (source, target, workload) = await RunningWorkloadAsync();
        await using var _ = source;
        await using var __ = target;
        var first = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var migration = (await first.Content.ReadFromJsonAsync<MigrationDto>())!;
        Assert.EndsWith($"/api/migrations/{migration.Id}", first.Headers.Location?.ToString());

        var second = await _api.PostAsJsonAsync($"/api/workloads/{workload.Id}/migrations", new StartMigrationRequest(target.NodeId));
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict, "already being migrated", migration.Id.ToString());
    }

    [Fact]
    public async Task Start_WithReadOnlyToken_Returns403()
    {
        var created = await _api.PostAsJsonAsync("/api/tokens", new { name = "reader", scopes = new[] { "read" } });
        var token = (await created.Content.ReadFromJsonAsync<Security.CreatedToken>())!.Token;
        var response = await factory.CreateApiClient(token).PostAsync($"/api/workloads/{Guid.NewGuid()}/migrations", null);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "scope");
    }

    [Fact]
    public async Task Start_MalformedBody_Returns400()
    {
        var response = await _api.PostAsync($"/api/workloads/{Guid.NewGuid()}/migrations", new StringContent("{\"targetNodeId\": 42", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task Get_UnknownMigration_Returns404()
    {
        await ProblemAssert.IsProblemAsync(await _api.GetAsync($"/api/migrations/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not found");
        await ProblemAssert.IsProblemAsync(await _api.GetAsync($"/api/migrations/{Guid.NewGuid()}/wait?timeoutSeconds=0"), HttpStatusCode.NotFound, "not found");
    }

    [Fact]
    public async Task Drain_UnknownNode_Returns404()
    {
        await ProblemAssert.IsProblemAsync(await _api.PostAsync($"/api/nodes/{Guid.NewGuid()}/drain", null), HttpStatusCode.NotFound, "not found");
    }
}

public sealed class SqliteMigrationsApiTests(SqliteControlPlaneFactory factory) : MigrationsApiTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresMigrationsApiTests(PostgresControlPlaneFactory factory) : MigrationsApiTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
