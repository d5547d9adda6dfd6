using System.Globalization;
using System.Text.RegularExpressions;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// The per-step timestamps the server and agents log at Debug level ("mtiming {migration} {event} {unix µs}") while the
/// harness enables it: where the downtime of each migration went.
/// </summary>
public static partial class TimingLog
{
    /// <summary>The downtime window's steps in order; the first is the source's pause, the last the target's resume.</summary>
    public static readonly string[] Events =
    [
        "src.paused", "src.captured", "src.hashed", "src.written", "src.reported",
        "srv.checkpointed", "srv.restoreSent",
        "tgt.restoreCmd", "tgt.fetched", "tgt.loaded", "tgt.resumed",
    ];

    public static readonly Dictionary<string, string> Segments = new()
    {
        ["src.captured"] = "source: safe point -> memory captured",
        ["src.hashed"] = "source: hash + compress changed chunks (runtime), queue uploads",
        ["src.written"] = "source: upload the last batch, wait for the control plane",
        ["src.reported"] = "source: flush output, queue report",
        ["srv.checkpointed"] = "report reaches server run",
        ["srv.restoreSent"] = "server: handle report, send RestoreWorkload",
        ["tgt.restoreCmd"] = "command reaches target",
        ["tgt.fetched"] = "target: fetch missing chunks",
        ["tgt.loaded"] = "target: read + verify chunks, load module (RestoreAsync)",
        ["tgt.resumed"] = "target: instantiate + copy memory (to Resumed)",
    };

    [GeneratedRegex(@"mtiming ([0-9a-f\-]{36}) ([a-zA-Z\.]+) (\d+)")]
    private static partial Regex Line();

    public static Dictionary<Guid, Dictionary<string, long>> Parse(IEnumerable<string> logs)
    {
        var result = new Dictionary<Guid, Dictionary<string, long>>();
        foreach (var log in logs)
        {
            foreach (Match m in Line().Matches(log))
            {
                var id = Guid.Parse(m.Groups[1].Value);
                if (!result.TryGetValue(id, out var events))
                {
                    result[id] = events = [];
                }
                // First occurrence wins (pre-copy logs the same source events for its non-pausing checkpoint under another name).
                events.TryAdd(m.Groups[2].Value, long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            }
        }
        return result;
    }

    /// <summary>Milliseconds spent in each segment (from the previous event present to this one).</summary>
    public static Dictionary<string, double> Breakdown(Dictionary<string, long> events)
    {
        var segments = new Dictionary<string, double>();
        long? previous = null;
        foreach (var e in Events)
        {
            if (!events.TryGetValue(e, out var at))
            {
                continue;
            }
            if (previous is { } p)
            {
                segments[e] = (at - p) / 1000.0;
            }
            previous = at;
        }
        return segments;
    }
}
