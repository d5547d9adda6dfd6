using System.Runtime.CompilerServices;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>
/// Many tests here run a workload to its end synchronously (the uninterrupted reference runs), each holding a pool
/// thread for seconds while other tests run in parallel. The pool adds threads only slowly when they are all blocked,
/// and a test that polls or checkpoints through the pool then waited long enough for its workload to finish first.
/// The agent does not block pool threads like that (workloads run on their own threads), so this is the test
/// process's concern: it starts with enough threads.
/// </summary>
internal static class ThreadPoolHeadroom
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }
}
