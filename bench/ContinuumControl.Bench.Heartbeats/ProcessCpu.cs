using System.Globalization;

namespace ContinuumControl.Bench.Heartbeats;

/// <summary>CPU time of processes and of the whole machine, read from /proc (Linux only).</summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = ReadClockTicks();

    /// <summary>User + system CPU seconds of a process (and, with <paramref name="withChildren"/>, of its reaped and live children).</summary>
    public static double Seconds(int pid, bool withChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }
        // Fields after "(comm)": [0]=state [1]=ppid ... [11]=utime [12]=stime [13]=cutime [14]=cstime.
        var ticks = Field(fields, 11) + Field(fields, 12);
        if (withChildren)
        {
            ticks += Field(fields, 13) + Field(fields, 14);
            foreach (var child in Children(pid))
            {
                var c = StatFields(child);
                if (c is not null)
                {
                    ticks += Field(c, 11) + Field(c, 12);
                }
            }
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores) since boot.</summary>
    public static (double Busy, double Total) Machine()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...
        var idle = v[3] + v[4];
        var total = v.Take(8).Sum();
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    private static IEnumerable<int> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            var fields = StatFields(pid);
            if (fields is not null && (int)Field(fields, 1) == parent)
            {
                yield return pid;
            }
        }
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Field(string[] fields, int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);

    private static double ReadClockTicks()
    {
        try
        {
            var output = Shell.Capture("getconf", ["CLK_TCK"]).Trim();
            return double.TryParse(output, NumberStyles.Float, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (Exception)
        {
            return 100;
        }
    }
}

/// <summary>A CPU reading of the processes that share the machine, taken at one instant.</summary>
public readonly record struct CpuReading(DateTime At, double Server, double Postgres, double LoadGenerator, double MachineBusy, double MachineTotal)
{
    public static CpuReading Take(int serverPid, int? postgresPid)
    {
        var (busy, total) = ProcessCpu.Machine();
        return new CpuReading(
            DateTime.UtcNow,
            ProcessCpu.Seconds(serverPid),
            postgresPid is { } pg ? ProcessCpu.Seconds(pg, withChildren: true) : double.NaN,
            ProcessCpu.Seconds(Environment.ProcessId),
            busy,
            total);
    }

    /// <summary>CPU use between two readings in percent of one core (200% = both cores of a 2-core machine).</summary>
    public static CpuUse Between(CpuReading a, CpuReading b)
    {
        var wall = (b.At - a.At).TotalSeconds;
        return new CpuUse(
            100 * (b.Server - a.Server) / wall,
            100 * (b.Postgres - a.Postgres) / wall,
            100 * (b.LoadGenerator - a.LoadGenerator) / wall,
            100 * (b.MachineBusy - a.MachineBusy) / (b.MachineTotal - a.MachineTotal));
    }
}

/// <summary>CPU use over a step; process figures in % of one core, machine in % of all cores.</summary>
public readonly record struct CpuUse(double Server, double Postgres, double LoadGenerator, double MachineBusy)
{
    /// <summary>CPU (in % of one core) used by everything else on the machine: other users' processes, kernel threads.</summary>
    public double Others => Math.Max(0, (MachineBusy * Environment.ProcessorCount) - Server - (double.IsNaN(Postgres) ? 0 : Postgres) - LoadGenerator);
}
