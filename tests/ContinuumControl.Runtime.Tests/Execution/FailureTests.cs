using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Execution;

public class FailureTests
{
    private static WorkloadSpec FromWat(string wat, long memoryLimit = 64L * 1024 * 1024) =>
        new("wat", Wasmtime.Module.ConvertText(wat), [], new Dictionary<string, string>(), memoryLimit);

    [Fact]
    public void Run_Trap_ReportsTheTrap()
    {
        using var engine = RuntimeEngine.Create();

        var outcome = new WorkloadRunner(engine, new WorkloadOptions { Instrumentation = Instrumented.Options })
            .Run(FromWat("""(module (memory 1) (func (export "_start") unreachable))"""), new CollectingSink(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("unreachable instruction executed", outcome.FailureReason);
    }

    [Fact]
    public void Run_MemoryLimitBreach_SaysTheLimitWasReached()
    {
        using var engine = RuntimeEngine.Create();
        var spec = Workloads.Spec("big-heap", "1", "64") with { MemoryLimitBytes = 16L * 1024 * 1024 };
        var sink = new CollectingSink();

        var outcome = new WorkloadRunner(engine).Run(spec, sink, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("reached its memory limit of 16 MiB", outcome.FailureReason);
    }

    [Fact]
    public void Run_CpuTimeLimit_EndsLoopThatNeverYields()
    {
        using var engine = RuntimeEngine.Create();
        var spec = Workloads.Spec("never-yields") with { CpuTimeLimit = TimeSpan.FromMilliseconds(200) };

        var outcome = new WorkloadRunner(engine).Run(spec, new CollectingSink(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("CPU-time limit of 0.2 s", outcome.FailureReason);
    }

    [Fact]
    public void Run_StopRequested_StopsLoopThatNeverYields()
    {
        using var engine = RuntimeEngine.Create();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        var outcome = new WorkloadRunner(engine).Run(Workloads.Spec("never-yields"), new CollectingSink(), stop.Token);

        Assert.True(outcome.Stopped);
        Assert.Equal("stopped on request", outcome.FailureReason);
    }
}
