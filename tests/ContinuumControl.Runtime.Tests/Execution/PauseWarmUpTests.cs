using ContinuumControl.Runtime.Execution;
using ContinuumControl.Runtime.Tests.Support;

namespace ContinuumControl.Runtime.Tests.Execution;

/// <summary>Before a fresh guest starts, the host runs its pause path once (a dry unwind over memory bytes 0-7): the guest must not notice.</summary>
public class PauseWarmUpTests
{
    [Fact]
    public void Run_GuestReadsTheFirstBytesOfMemory_SeesItsOwnData()
    {
        const string Wat = """
            (module
              (memory 1)
              (data (i32.const 0) "\2a\00\00\00\07\00\00\00")
              (func (export "_start")
                (if (i64.ne (i64.load (i32.const 0)) (i64.const 0x000000070000002a)) (then unreachable))))
            """;
        using var engine = RuntimeEngine.Create();
        var spec = new WorkloadSpec("first-bytes", Wasmtime.Module.ConvertText(Wat), [], new Dictionary<string, string>(), 1 << 24);

        var outcome = new WorkloadRunner(engine, new WorkloadOptions { Instrumentation = Instrumented.Options }).Run(spec, new CollectingSink(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
    }
}
