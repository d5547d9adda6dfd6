namespace ContinuumControl.Runtime.Tests;

/// <summary>The background warm-up an engine starts: it must finish and leave nothing behind (its effect is measured in bench/, not here).</summary>
public class RuntimeWarmUpTests
{
    [Fact]
    public async Task Start_Finishes_AndDeletesItsSyntheticCheckpoint()
    {
        using var engine = RuntimeEngine.Create();

        var warmUp = RuntimeWarmUp.Start(engine);
        await warmUp.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(warmUp.IsCompletedSuccessfully);
        Assert.Same(warmUp, RuntimeWarmUp.Start(engine));
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), RuntimeWarmUp.DirectoryPrefix + "*"));
    }
}
