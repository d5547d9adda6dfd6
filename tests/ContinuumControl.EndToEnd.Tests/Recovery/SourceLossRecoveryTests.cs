using System.Net.Http.Json;
using ContinuumControl.Contracts.Api;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Recovery;

/// <summary>
/// kill -9 of a migration's source in each phase, its supervisor restarting it at once. Before the source's final
/// checkpoint is in hand the migration fails and says so (never "the source resumed"), and the workload is recovered
/// from its last periodic checkpoint; after it, the target carries on and commits. Either way exactly one copy
/// finishes, with output byte-identical to a clean run. Phases are held open with Agent:Faults delays; the workload is
/// long enough (150 lines) not to finish while they last, which would rightly end the migration as Superseded.
/// </summary>
public sealed class SourceLossRecoveryTests : IAsyncLifetime
{
    private readonly Cluster _cluster = new();

    private sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("source", "Edge")];

        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:Faults:DelayCheckpointMs=3000"];

        // The crash is seen at the disconnect; the TTL only has to outlast the restarted agent's start, which takes
        // more than the default 3 s + 1 s on a loaded machine (the node was then declared Down while it came back, and
        // its recovery moved a third time).
        protected override IReadOnlyList<string> ServerArgs => [.. base.ServerArgs, "--Server:HeartbeatTtlSeconds=15"];
    }

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Theory]
    [InlineData(MigrationPhase.Preparing, "--Agent:Faults:DelayPrepareMs=8000")]
    [InlineData(MigrationPhase.Checkpointing, "--Agent:Faults:DelayPrepareMs=0")]
    [InlineData(MigrationPhase.Transferring, "--Agent:Faults:DelayFetchMs=8000")]
    [InlineData(MigrationPhase.Restoring, "--Agent:Faults:DelayRestoreMs=8000")]
    public async Task KillSource_DuringPhase_WorkloadFinishesOnce_OutputIdenticalToCleanRun(MigrationPhase phase, string targetFault)
    {
        var hash = await _cluster.ModuleHashAsync("hello");
        var moved = await _cluster.DeployAsync(hash, ["150"], checkpointIntervalSeconds: 1);
        Assert.Equal("source", moved.NodeName);
        await _cluster.WaitForCheckpointAsync(moved.Id, 200);
        // Only the source holds the checkpointing delay; the target holds its own phase's.
        _cluster.StartAgent("target", "Cloud", targetFault, "--Agent:Faults:DelayCheckpointMs=0");
        var target = await _cluster.WaitForNodeAsync("target", NodeState.Ready);

        var migration = await _cluster.StartMigrationAsync(moved.Id, target.Id, preCopy: false);
        await _cluster.WaitForPhaseAsync(migration.Id, phase);
        _cluster.CrashAndRestartAgent("source", "Edge", "--Agent:Faults:DelayCheckpointMs=0");

        var ended = await _cluster.WaitMigrationAsync(migration.Id, 120);
        var finished = await _cluster.WaitFinishedAsync(moved.Id, 180);
        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{_cluster.Diagnostics()}");
        if (phase is MigrationPhase.Preparing or MigrationPhase.Checkpointing)
        {
            Assert.Equal(MigrationPhase.Failed, ended.Phase);
            Assert.StartsWith($"the source node disconnected during {phase}; the source node source was lost with the workload, so the workload resumes from its last checkpoint (of ", ended.Reason);
            Assert.EndsWith(") on the node the scheduler picks", ended.Reason);
            Assert.DoesNotContain("resumed the workload", ended.Reason);
            Assert.True(finished.Restart!.AttemptCount == 2,
                $"{finished.Restart.AttemptCount} attempts: {string.Join("; ", finished.Restart.Attempts.Select(a => $"#{a.Number} on {a.NodeId} from checkpoint {a.FromCheckpoint}: {a.EndReason}"))}{_cluster.Diagnostics()}");
            Assert.Equal($"its source node source was lost during a migration ({phase})", finished.Restart.Attempts[0].EndReason);
            Assert.True(finished.Restart.Attempts[1].FromCheckpoint);
        }
        else
        {
            // The final checkpoint was in hand: the source is not needed any more and the move commits.
            Assert.True(ended.Phase == MigrationPhase.Completed, $"{ended.Phase}: {ended.Reason}{_cluster.Diagnostics()}");
            Assert.Equal(("target", 1), (finished.NodeName, finished.Restart!.AttemptCount));
        }
        var migrations = await _cluster.Api.GetFromJsonAsync<List<MigrationDto>>($"/api/workloads/{moved.Id}/migrations");
        Assert.All(migrations!, m => Assert.True(m.IsFinished));
        Assert.Equal(await _cluster.CleanRunOutputAsync(hash, ["150"]), await _cluster.OutputAsync(moved.Id));
    }
}
