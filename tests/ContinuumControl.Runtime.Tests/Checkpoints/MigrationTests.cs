using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Runtime.Execution;
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
    [InlineData("rust-collections", new[] { "30", "3000" }, 102)]
    [InlineData("rust-collections", new[] { "30", "3000" }, 16)]
    [InlineData("rust-recursion", new[] { "30" }, 17)]
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
        expected.AssertSameAs(sink);
    }

    [Fact]
    public async Task Restore_RustFilesSampleMovedMidRun_OutputAndFilesAsIfNeverMoved()
    {
        using var directory = new TestDirectory();
        Directory.CreateDirectory(directory.Sub("unmoved"));
        Directory.CreateDirectory(directory.Sub("moved"));
        var unmoved = Workloads.Spec("rust-files") with { Preopens = [new PreopenedDirectory("data", directory.Sub("unmoved"), "/data")] };
        var spec = unmoved with { Preopens = [new PreopenedDirectory("data", directory.Sub("moved"), "/data")] };
        var expected = MigrationDriver.Uninterrupted(unmoved);
        var driver = new MigrationDriver(new FileChunkStore(directory.Sub("chunks")), seed: 18);
        var sink = new CollectingSink();

        // The volume is shared storage: the target node sees the files the source wrote.
        var outcome = await driver.RunAsync(spec, sink, maxMoves: 4, maxDelayMs: 200,
            new RestoreOptions { Volumes = new Dictionary<string, string> { ["data"] = directory.Sub("moved") } });

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.True(driver.Moves >= 1, "the workload finished before its first move; lengthen the run");
        Assert.Equal(Samples.ExpectedStdout("rust-files"), expected.Stdout);
        expected.AssertSameAs(sink);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Sub("moved")));
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
        MigrationDriver.Uninterrupted(spec).AssertSameAs(sink);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), driver.Manifests.Select(m => m.Sequence));
    }
}
