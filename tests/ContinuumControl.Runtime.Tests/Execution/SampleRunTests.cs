using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Execution;

public class SampleRunTests
{
    [Theory]
    [InlineData("hello")]
    [InlineData("counter")]
    [InlineData("never-yields")]
    [InlineData("rust-collections")]
    [InlineData("rust-recursion")]
    public void Run_InstrumentedSample_PrintsExpectedOutput(string sample)
    {
        using var engine = RuntimeEngine.Create();
        var sink = new CollectingSink();
        using var instance = new WorkloadInstance(engine, Workloads.Spec(sample), sink);

        var outcome = instance.Run();

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(Samples.ExpectedStdout(sample)), sink.StdoutText);
    }
}
