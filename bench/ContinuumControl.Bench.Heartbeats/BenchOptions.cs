using System.Globalization;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>Command-line settings of the heartbeat benchmark.</summary>
public sealed class BenchOptions
{
    /// <summary>Environment variable naming an existing PostgreSQL database to use instead of starting one.</summary>
    public const string ConnectionStringVariable = "CONTINUUM_BENCH_POSTGRES";

    /// <summary>A rate of 0 means unpaced: every agent sends its next heartbeat as soon as the last one is acknowledged.</summary>
    public const int Unpaced = 0;

    public int Agents { get; private set; } = 1000;

    /// <summary>Aggregate heartbeat rates per step (heartbeats/s over all agents); 0 = unpaced.</summary>
    public IReadOnlyList<int> Rates { get; private set; } = [1_000, 10_000, 12_000, 15_000, Unpaced];

    public int WarmupSeconds { get; private set; } = 5;

    public int DurationSeconds { get; private set; } = 20;

    public int ReadsPerSecond { get; private set; } = 20;

    public int FlushMilliseconds { get; private set; } = 250;

    public int ConnectConcurrency { get; private set; } = 32;

    public string? ConnectionString { get; private set; } = Environment.GetEnvironmentVariable(ConnectionStringVariable);

    public string? ServerDll { get; private set; }

    public string? MarkdownOut { get; private set; }

    public bool Keep { get; private set; }

    public static string Usage => """
        Heartbeat ingestion benchmark for ContinuumControl.

          --agents N               simulated agents, one SignalR connection each (default 1000)
          --rates LIST             aggregate heartbeats/s per step, comma separated; 'max' = unpaced
                                   (default 1000,10000,12000,15000,max)
          --warmup S               seconds per step before measuring (default 5)
          --duration S             measured seconds per step (default 20)
          --reads-per-second N     GET /api/nodes issued per second by the reader (default 20)
          --flush-ms N             Server:HeartbeatFlushMilliseconds (default 250)
          --connect-concurrency N  connections opened / registered at once (default 32)
          --connection-string CS   use this PostgreSQL database (dedicated, ideally empty) instead of starting
                                   one; also read from $CONTINUUM_BENCH_POSTGRES
          --server-dll PATH        ContinuumControl.Server.dll to run (default: the Release build in this repository)
          --markdown PATH          also write the results table to PATH
          --keep                   keep the temporary folder (PostgreSQL data, server log)
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return null;
            }
            if (name == "--keep")
            {
                o.Keep = true;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }
            var value = args[++i];
            switch (name)
            {
                case "--agents": o.Agents = Positive(name, value); break;
                case "--rates": o.Rates = ParseRates(value); break;
                case "--warmup": o.WarmupSeconds = NonNegative(name, value); break;
                case "--duration": o.DurationSeconds = Positive(name, value); break;
                case "--reads-per-second": o.ReadsPerSecond = Positive(name, value); break;
                case "--flush-ms": o.FlushMilliseconds = Positive(name, value); break;
                case "--connect-concurrency": o.ConnectConcurrency = Positive(name, value); break;
                case "--connection-string": o.ConnectionString = value; break;
                case "--server-dll": o.ServerDll = Path.GetFullPath(value); break;
                case "--markdown": o.MarkdownOut = Path.GetFullPath(value); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        return o;
    }

    private static List<int> ParseRates(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.Equals("max", StringComparison.OrdinalIgnoreCase) ? Unpaced : Positive("--rates", r))
            .ToList();

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive integer, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"{name} needs a non-negative integer, not '{value}'.");
}
