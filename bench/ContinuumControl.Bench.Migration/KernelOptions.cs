using System.Globalization;

namespace ContinuumControl.Bench.Migration;

/// <summary>Options of the <c>kernels</c> mode: many migrations at seeded random moments across bench/kernels.</summary>
internal sealed record KernelOptions
{
    public int Migrations { get; init; } = 100;
    public int PerRun { get; init; } = 3;
    public int Seed { get; init; } = 11;
    public bool PreCopy { get; init; } = true;
    public int Warmup { get; init; } = 2;
    public int AgentMemoryMiB { get; init; } = 2048;
    public string[]? Only { get; init; }
    public string? Label { get; init; }
    public string? Csv { get; init; }
    public string? Markdown { get; init; }
    public bool Keep { get; init; }
    public string? ServerDir { get; init; }

    public static KernelOptions Parse(string[] args)
    {
        var o = new KernelOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--migrations" => o with { Migrations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--per-run" => o with { PerRun = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--stop-copy" => o with { PreCopy = false },
                "--warmup" => o with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--agent-memory-mib" => o with { AgentMemoryMiB = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--only" => o with { Only = Next().Split(',') },
                "--label" => o with { Label = Next() },
                "--csv" => o with { Csv = Next() },
                "--markdown" => o with { Markdown = Next() },
                "--keep" => o with { Keep = true },
                "--server-dir" => o with { ServerDir = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]} for kernels; see docs/benchmarks.md"),
            };
        }
        return o;
    }
}
