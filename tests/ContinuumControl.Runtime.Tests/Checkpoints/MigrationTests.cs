using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

public class MigrationTests
{
    [Theory]
    [InlineData("hello", new[] { "6" }, 11)]
    [InlineData("counter", new string[0], 12)]
    [InlineData("deep-recursion", new[] { "3" }, 13)]
    [InlineData("never-yields", new[] { "3" }, 14)]
    [InlineData("big-heap", new[] { "100", "16" }, 15)]
    public async Task Restore_AtSeededRandomMoments_OutputIsByteIdentical(string sample, string[] args, int seed)
    {
        var spec = Workloads.Spec(sample, args);
        var expected = MigrationDriver.Uninterrupted(spec);
        using var directory = new TestDirectory();
        var driver = new MigrationDriver(new FileChunkStore(directory.Sub("chunks")), seed);
        var sink = new CollectingSink();

        var outcome = await driver.RunAsync(spec, sink, maxMoves: 4, maxDelayMs: 60);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.True(driver.Moves >= 1, "the workload finished before its first move; lengthen the run");
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), sink.StdoutText);
    }

    [Fact]
    public async Task Restore_MovedTenTimesInARow_FinishesAsIfNeverMoved()
    {
        var spec = Workloads.Spec("counter");
        using var directory = new TestDirectory();
        var driver = new MigrationDriver(new FileChunkStore(directory.Sub("chunks")), seed: 10);
        var sink = new CollectingSink();

        var outcome = await driver.RunAsync(spec, sink, maxMoves: 10, maxDelayMs: 25);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(10, driver.Moves);
        Assert.Equal(Samples.ExpectedStdout("counter"), sink.Stdout);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), driver.Manifests.Select(m => m.Sequence));
    }
}
