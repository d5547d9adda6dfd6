using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>
/// A throw-away PostgreSQL cluster on 127.0.0.1: initdb into a temporary folder, pg_ctl start (as the postgres user when
/// running as root), trust authentication, fsync off. Stopped and deleted with the benchmark.
/// </summary>
public sealed class LocalPostgres : IDisposable
{
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;
    private readonly string _bin;

    private LocalPostgres(string bin, string dataDir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=continuum_bench;Maximum Pool Size=100";

    /// <summary>The postmaster's pid; its children are the backends, so their CPU counts as PostgreSQL's.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_dataDir, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public static LocalPostgres Start(string workDir)
    {
        var bin = FindBin();
        var asPostgres = Environment.UserName == "root";
        var dataDir = Path.Combine(workDir, "pg");
        Directory.CreateDirectory(dataDir);
        if (asPostgres)
        {
            Shell.Capture("chown", ["-R", "postgres:postgres", workDir]);
        }
        var port = FreePort();
        var pg = new LocalPostgres(bin, dataDir, port, asPostgres);
        pg.Run("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        File.AppendAllText(Path.Combine(dataDir, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{dataDir}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200
            shared_buffers = 256MB
            """);
        pg.Run("pg_ctl", ["-D", dataDir, "-l", Path.Combine(workDir, "postgres.log"), "-w", "-t", "60", "start"]);
        Shell.Capture("psql", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
            "-c", "CREATE DATABASE continuum_bench"]);
        return pg;
    }

    public void Dispose()
    {
        try
        {
            Run("pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "stop"]);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"stopping PostgreSQL failed: {ex.Message}");
        }
    }

    private void Run(string tool, IEnumerable<string> args)
    {
        var exe = Path.Combine(_bin, tool);
        if (_asPostgresUser)
        {
            Shell.Capture("runuser", ["-u", "postgres", "--", exe, .. args], TimeSpan.FromMinutes(2));
        }
        else
        {
            Shell.Capture(exe, args, TimeSpan.FromMinutes(2));
        }
    }

    private static string FindBin()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (debian is not null)
        {
            return debian;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            $"PostgreSQL's initdb was not found: apt-get install -y --no-install-recommends postgresql, or pass --connection-string / ${BenchOptions.ConnectionStringVariable}.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
