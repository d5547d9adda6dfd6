using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Migration;

/// <summary>
/// Nodes and the control plane die in the middle of migrations. Targets are started with injected delays
/// (Agent:Faults) so each phase lasts long enough to be hit.
/// </summary>
public sealed class MigrationFailureTests : IAsyncLifetime
{
    private readonly LocalCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Theory]
    [InlineData(MigrationPhase.Transferring, "--Agent:Faults:DelayFetchMs=60000")]
    [InlineData(MigrationPhase.Restoring, "--Agent:Faults:DelayRestoreMs=60000")]
    public async Task KillTarget_DuringPhase_SourceResumes_OutputIntact(MigrationPhase phase, string fault)
    {
        var (moved, reference) = await DeployPairOnAsync("cloud-e2e");
        _cluster.StartAgent("slow-target", "Cloud", fault);
        var target = await _cluster.WaitForNodeAsync("slow-target", NodeState.Ready);

        var migration = await _cluster.StartMigrationAsync(moved.Id, target.Id);
        await WaitForPhaseAsync(migration.Id, phase);
        _cluster.KillAgent("slow-target");

        var finished = await _cluster.WaitMigrationAsync(migration.Id);
        Assert.Equal(MigrationPhase.Aborted, finished.Phase);
        Assert.Contains("disconnected", finished.Reason);
        Assert.Contains("source resumed", finished.Reason);
        await AssertCompletedOnAsync(moved, "cloud-e2e", reference);
    }

    [Fact]
    public async Task KillSource_AfterCommit_TargetFinishes()
    {
        _cluster.StartAgent("doomed-source", "Edge");
        var source = await _cluster.WaitForNodeAsync("doomed-source", NodeState.Ready);
        var cloud = await _cluster.NodeAsync("cloud-e2e");
        var hash = await _cluster.ModuleHashAsync("hello");
        var moved = await _cluster.DeployAsync(hash, nodeClass: null, args: ["40"]);
        await _cluster.WaitForOutputAsync(moved.Id, 1);
        if (moved.NodeId != source.Id)
        {
            Assert.Equal(MigrationPhase.Completed, (await _cluster.MigrateAsync(moved.Id, source.Id)).Phase);
        }

        Assert.Equal(MigrationPhase.Completed, (await _cluster.MigrateAsync(moved.Id, cloud.Id)).Phase);
        _cluster.KillAgent("doomed-source");

        var finished = await _cluster.WaitFinishedAsync(moved.Id);
        Assert.Equal((WorkloadState.Completed, "cloud-e2e"), (finished.State, finished.NodeName));
        Assert.Equal(await ExpectedHelloAsync(40), await _cluster.OutputAsync(moved.Id));
    }

    [Theory]
    [InlineData(MigrationPhase.Preparing, "--Agent:Faults:DelayPrepareMs=8000")]
    [InlineData(MigrationPhase.Transferring, "--Agent:Faults:DelayFetchMs=8000")]
    [InlineData(MigrationPhase.Restoring, "--Agent:Faults:DelayRestoreMs=8000")]
    public async Task RestartControlPlane_DuringPhase_AbortsCleanly_OneCopyFinishes(MigrationPhase phase, string fault)
    {
        var (moved, reference) = await DeployPairOnAsync("cloud-e2e");
        _cluster.StartAgent("slow-target", "Cloud", fault);
        var target = await _cluster.WaitForNodeAsync("slow-target", NodeState.Ready);

        var migration = await _cluster.StartMigrationAsync(moved.Id, target.Id);
        await WaitForPhaseAsync(migration.Id, phase);
        await _cluster.RestartServerAsync();

        var after = await _cluster.WaitMigrationAsync(migration.Id);
        Assert.Equal(MigrationPhase.Aborted, after.Phase);
        Assert.Contains("control plane restarted", after.Reason);
        await AssertCompletedOnAsync(moved, "cloud-e2e", reference);
        // Whatever the target got to (it may restore after its injected delay, under a generation never committed), it must
        // not keep a copy running beside the source's: its agent reports nothing running, and never finished a copy itself.
        // Past Preparing it held the restore command, so its attempt ends observably once the delay is over: the fetch
        // or restore fails (the aborted migration's chunks are no longer served to it), or the copy it restored is
        // discarded on the control plane's word. In Preparing it never got the command and has no copy to end.
        if (phase != MigrationPhase.Preparing)
        {
            await _cluster.WaitUntilAsync(() => Task.FromResult(TargetAttemptEnded(_cluster.AgentLog("slow-target"), migration.Id, moved.Id)), TimeSpan.FromSeconds(60),
                "the target's attempt to end (its restore failing, or its copy discarded)");
        }
        await _cluster.WaitUntilAsync(async () => (await _cluster.NodeAsync("slow-target")).ReportedWorkloads == 0, TimeSpan.FromSeconds(30), "the target to run nothing");
        Assert.DoesNotContain($"Workload {moved.Id} Completed", _cluster.AgentLog("slow-target"));
        var history = await _cluster.Api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{moved.Id}/migrations");
        Assert.All(history!, m => Assert.True(m.IsFinished));
    }

    private static bool TargetAttemptEnded(string log, Guid migrationId, Guid workloadId) =>
        log.Contains($"Migration {migrationId} step failed", StringComparison.Ordinal)
        || log.Contains($"Discarding copy of workload {workloadId}", StringComparison.Ordinal)
        || (log.Contains($"Workload {workloadId} generation", StringComparison.Ordinal) && log.Contains("discarded: it continues elsewhere", StringComparison.Ordinal));

    private async Task<(WorkloadDto Moved, WorkloadDto Reference)> DeployPairOnAsync(string node)
    {
        var hash = await _cluster.ModuleHashAsync("hello");
        var moved = await _cluster.DeployAsync(hash, nodeClass: "Cloud", args: ["60"]);
        Assert.Equal(node, moved.NodeName);
        var reference = await _cluster.DeployAsync(hash, nodeClass: "Cloud", args: ["60"]);
        await _cluster.WaitForOutputAsync(moved.Id, 1);
        return (moved, reference);
    }

    private async Task AssertCompletedOnAsync(WorkloadDto moved, string node, WorkloadDto reference)
    {
        var finished = await _cluster.WaitFinishedAsync(moved.Id, 180);
        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State} {finished.FailureReason}{_cluster.Diagnostics()}");
        Assert.Equal((node, moved.Generation), (finished.NodeName, finished.Generation));
        await _cluster.WaitFinishedAsync(reference.Id, 180);
        Assert.Equal(await _cluster.OutputAsync(reference.Id), await _cluster.OutputAsync(moved.Id));
    }

    private Task WaitForPhaseAsync(Guid migrationId, MigrationPhase phase) =>
        _cluster.WaitUntilAsync(async () =>
        {
            var m = await _cluster.Api.GetFromJsonAsync<MigrationDto>($"/api/migrations/{migrationId}");
            Assert.False(m!.IsFinished, $"migration finished ({m.Phase}: {m.Reason}) before reaching {phase}");
            return m.Phase == phase;
        }, TimeSpan.FromSeconds(60), $"migration {migrationId} to reach {phase}");

    private async Task<byte[]> ExpectedHelloAsync(int lines)
    {
        var reference = await _cluster.DeployAsync(await _cluster.ModuleHashAsync("hello"), args: [lines.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await _cluster.WaitFinishedAsync(reference.Id);
        return await _cluster.OutputAsync(reference.Id);
    }
}
