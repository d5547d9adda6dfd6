using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Recovery;

/// <summary>
/// kill -9 of a running agent that its supervisor restarts at once (well within the heartbeat TTL): the agent comes
/// back empty-handed, and the run it lost is recovered like a Down node's, from its last checkpoint, on the node the
/// scheduler picks. The output ends byte-identical to a clean run.
/// </summary>
public sealed class AgentRestartRecoveryTests(AgentRestartRecoveryTests.Cluster cluster) : IClassFixture<AgentRestartRecoveryTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-crash", "Edge")];
    }

    [Fact]
    public async Task RestartedAgent_LostRun_ResumesFromCheckpoint_OutputIdenticalToCleanRun()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        // The cluster takes no periodic checkpoints by default here: the workload's own interval turns them on.
        var workload = await cluster.DeployAsync(hash, ["50"], checkpointIntervalSeconds: 1);
        Assert.Equal(1, workload.CheckpointIntervalSeconds);
        await cluster.WaitForCheckpointAsync(workload.Id, 300);

        cluster.CrashAndRestartAgent("edge-crash", "Edge");
        var finished = await cluster.WaitFinishedAsync(workload.Id, 180);

        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{cluster.Diagnostics()}");
        var restart = finished.Restart!;
        Assert.Equal((RestartPolicy.OnNodeLoss, 2, 0), (restart.Policy, restart.AttemptCount, restart.Restarts));
        Assert.Equal("its agent on edge-crash restarted without it (killed, crashed or rebooted)", restart.Attempts[0].EndReason);
        Assert.True(restart.Attempts[1].FromCheckpoint, "the second run should resume from the checkpoint");
        Assert.StartsWith("completed", restart.Attempts[1].EndReason);
        Assert.Equal(await cluster.CleanRunOutputAsync(hash, ["50"]), await cluster.OutputAsync(workload.Id));
    }
}
