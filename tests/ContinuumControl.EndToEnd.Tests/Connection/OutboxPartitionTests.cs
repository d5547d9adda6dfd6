using ContinuumControl.EndToEnd.Tests.Cluster;

namespace ContinuumControl.EndToEnd.Tests.Connection;

/// <summary>
/// The control plane goes away while a workload keeps writing: the agent's outbox, limited to a few messages in
/// memory, spills the rest to its data directory, and everything arrives in order once the server is back.
/// </summary>
public sealed class OutboxPartitionTests(OutboxPartitionTests.Cluster cluster) : IClassFixture<OutboxPartitionTests.Cluster>
{
    public sealed class Cluster : LocalCluster
    {
        protected override IReadOnlyList<(string Name, string Class)> InitialAgents => [("edge-partition", "Edge")];

        protected override IReadOnlyList<string> AgentArgs(string name) => ["--Agent:Outbox:MemoryEntries=4"];
    }

    [Fact]
    public async Task ServerDown_WorkloadKeepsWriting_OutputSpilledThenDeliveredComplete()
    {
        var hash = await cluster.ModuleHashAsync("hello");
        var workload = await cluster.DeployAsync(hash, args: ["120"]);
        await cluster.WaitForOutputAsync(workload.Id, 200);
        var spill = Path.Combine(cluster.DataDirectory, "agents", "edge-partition", "outbox");

        cluster.KillServer();
        var spilled = 0;
        for (var waited = 0; waited < 60 && spilled == 0; waited++)
        {
            await Task.Delay(200);
            spilled = Directory.Exists(spill) ? Directory.GetFiles(spill).Length : 0;
        }
        // The workload keeps writing while the server is away: the spill grows before the server comes back.
        // (Polled here: the cluster's own waits stop at a server that is not running.)
        var firstSize = SpillBytes(spill);
        for (var waited = 0; waited < 150 && SpillBytes(spill) <= firstSize; waited++)
        {
            await Task.Delay(200);
        }
        Assert.True(SpillBytes(spill) > firstSize, $"the spill stayed at {firstSize} bytes for 30 s while the server was down: the workload stopped writing{cluster.Diagnostics()}");
        await cluster.StartServerAgainAsync();
        var finished = await cluster.WaitFinishedAsync(workload.Id, 240);

        Assert.True(spilled > 0, $"the outbox spilled nothing while the server was down{cluster.Diagnostics()}");
        Assert.True(finished.State == WorkloadState.Completed, $"{finished.State}: {finished.FailureReason}{cluster.Diagnostics()}");
        var output = System.Text.Encoding.UTF8.GetString(await cluster.OutputAsync(workload.Id));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("hello from ContinuumControl: 120 lines", lines[0]);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => $"line {i} of 120"), lines.Skip(1).Take(120).Select(l => l.Split(':')[0]));
        await cluster.WaitUntilAsync(() => Task.FromResult(!Directory.Exists(spill) || Directory.GetFiles(spill).Length == 0), TimeSpan.FromSeconds(30), "the spill directory to empty");
    }

    private static long SpillBytes(string spill) =>
        Directory.Exists(spill) ? Directory.GetFiles(spill).Sum(Length) : 0;

    // A spill segment can be rotated away between the listing and the read.
    private static long Length(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
