using System.Diagnostics;
using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Recovery;

/// <summary>
/// A node that goes silent with a workload still running (its agent frozen with SIGSTOP, as a partition or a stalled
/// VM would) is declared Down and its work resumes elsewhere from the last checkpoint. When the agent thaws, its copy
/// is stale: the control plane tells it to discard the copy, and exactly one copy finishes, with output
/// byte-identical to a clean run.
/// </summary>
public sealed class StaleCopyDiscardTests(StaleCopyDiscardTests.Cluster cluster) : IClassFixture<StaleCopyDiscardTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-frozen", "Edge"), ("cloud-spare", "Cloud")];
    }

    [Fact]
    public async Task FrozenNode_WorkResumesElsewhere_ThawedCopyIsDiscarded_OneCopyFinishes()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var workload = await cluster.DeployAsync(hash, ["120"], checkpointIntervalSeconds: 1);
        Assert.Equal("edge-frozen", workload.NodeName);
        await cluster.WaitForCheckpointAsync(workload.Id, 300);

        Signal("STOP", cluster.AgentProcess("edge-frozen").Id);
        try
        {
            await cluster.WaitForNodeAsync("edge-frozen", NodeState.Down, TimeSpan.FromSeconds(60));
            await cluster.WaitUntilAsync(async () => (await cluster.WorkloadAsync(workload.Id)).NodeName == "cloud-spare", TimeSpan.FromSeconds(60),
                "the workload to resume on cloud-spare");
        }
        finally
        {
            Signal("CONT", cluster.AgentProcess("edge-frozen").Id);
        }

        // The thawed agent still holds the old generation's copy; the control plane has it discarded.
        await cluster.WaitUntilAsync(() => Task.FromResult(cluster.AgentLog("edge-frozen").Contains($"Discarding copy of workload {workload.Id}", StringComparison.Ordinal)
                || cluster.AgentLog("edge-frozen").Contains($"Workload {workload.Id} generation 1 discarded", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the thawed agent to discard its stale copy");
        var finished = await cluster.WaitFinishedAsync(workload.Id, 180);

        Assert.True((finished.State.ToString(), finished.NodeName) == ("Completed", "cloud-spare"), $"{finished.State} on {finished.NodeName}: {finished.FailureReason}{cluster.Diagnostics()}");
        Assert.DoesNotContain($"Workload {workload.Id} Completed", cluster.AgentLog("edge-frozen"));
        Assert.Equal(await cluster.CleanRunOutputAsync(hash, ["120"]), await cluster.OutputAsync(workload.Id));
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
