using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests;

/// <summary>The background warm-up an engine starts: every step must work and leave nothing behind (its effect is measured in bench/).</summary>
public class RuntimeWarmUpTests
{
    [Fact]
    public async Task RunAsync_EveryStepSucceeds_AndDeletesItsSyntheticCheckpoint()
    {
        using var scratch = new TestDirectory();
        using var engine = RuntimeEngine.Create(warmUp: false);

        var failure = await RuntimeWarmUp.RunAsync(engine, scratch.Path).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(failure);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public async Task RunAsync_OnADisposedEngine_ReportsTheFailure_AndStillCleansUp()
    {
        using var scratch = new TestDirectory();
        var engine = RuntimeEngine.Create(warmUp: false);
        engine.Dispose();

        var failure = await RuntimeWarmUp.RunAsync(engine, scratch.Path).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.IsType<ObjectDisposedException>(failure);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void Start_IsOncePerProcess()
    {
        using var engine = RuntimeEngine.Create();

        Assert.Same(RuntimeWarmUp.Start(engine), RuntimeWarmUp.Start(engine));
    }
}
