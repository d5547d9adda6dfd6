using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Support;

internal static class Workloads
{
    public static WorkloadSpec Spec(string sample, params string[] args) =>
        new(sample, Instrumented.Sample(sample).Bytes, args, new Dictionary<string, string>(), 256L * 1024 * 1024);
}
