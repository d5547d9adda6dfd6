using System.Diagnostics;

namespace ContinuumControl.Runtime.Tests.Fuzzing;

/// <summary>
/// Runs a target on mutations of a committed corpus for a bounded time, with a fixed seed so a failure repeats. The
/// target must return or throw one of the accepted rejection types with a message; anything else (an index out of
/// range, an overflow, running out of memory, one input taking seconds) fails the test, and the input is saved under
/// the temporary directory to be committed as a regression.
/// </summary>
internal static class FuzzRun
{
    /// <summary>Seconds per target; CONTINUUM_FUZZ_SECONDS overrides (longer runs find more, the test run stays short).</summary>
    public static TimeSpan Budget { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("CONTINUUM_FUZZ_SECONDS"), out var seconds) && seconds > 0 ? seconds : 15);

    /// <summary>CONTINUUM_FUZZ_SEED overrides the seed, to explore beyond what the fixed one reaches.</summary>
    public static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("CONTINUUM_FUZZ_SEED"), out var seed) ? seed : fallback;

    private static readonly TimeSpan OneInputLimit = TimeSpan.FromSeconds(5);

    public static string Root { get; } = Path.Combine(RepositoryRoot(), "tests", "ContinuumControl.Runtime.Tests", "Fuzzing");

    public static IEnumerable<byte[]> Files(string folder) =>
        Directory.GetFiles(Path.Combine(Root, folder)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);

    /// <summary>Checks one input: null when it was accepted or rejected properly, else what went wrong.</summary>
    public static string? Check(Action<byte[]> target, byte[] input, Type[] rejections)
    {
        try
        {
            target(input);
            return null;
        }
        catch (Exception ex) when (rejections.Contains(ex.GetType()))
        {
            return string.IsNullOrWhiteSpace(ex.Message) ? $"{ex.GetType().Name} without a message" : null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}";
        }
    }

    /// <summary>Returns how many inputs ran; fails with the first crashing input.</summary>
    public static int Run(string name, IReadOnlyList<byte[]> corpus, Func<byte[], byte[]> mutate, Action<byte[]> target, params Type[] rejections)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        byte[]? current = null;
        string? failure = null;
        var worker = new Thread(() =>
        {
            while (watch.Elapsed < Budget && failure is null)
            {
                var input = mutate(corpus[runs % corpus.Count]);
                Volatile.Write(ref current, input);
                failure = Check(target, input, rejections);
                Interlocked.Increment(ref runs);
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = $"fuzz {name}" };
        worker.Start();
        var lastRuns = -1;
        var lastProgress = Stopwatch.StartNew();
        while (!worker.Join(TimeSpan.FromMilliseconds(200)))
        {
            var now = Volatile.Read(ref runs);
            if (now != lastRuns)
            {
                lastRuns = now;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > OneInputLimit)
            {
                failure = $"one input ran for more than {OneInputLimit.TotalSeconds} s (a hang)";
                break;
            }
        }
        if (failure is not null)
        {
            var input = Volatile.Read(ref current)!;
            var saved = Path.Combine(Path.GetTempPath(), $"fuzz-{name}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16]}.bin");
            File.WriteAllBytes(saved, input);
            Assert.Fail($"{name}: after {runs} inputs, {failure}\ninput ({input.Length} bytes) saved to {saved}; commit it under Fuzzing/Regressions and fix the reader");
        }
        return runs;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContinuumControl.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
    }
}
