using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// Where the downtime of each migration went, read from the control plane's <c>/metrics</c>: the histogram
/// <c>continuum.migration.step.duration</c> gets one value per step for every completed migration, so the growth of
/// its sum between a scrape just before a migration and one just after is that migration's step (migrations run one
/// at a time here).
/// </summary>
public static class StepMetrics
{
    public const string StepHistogram = "continuum_migration_step_duration_seconds";
    public const string DowntimeHistogram = "continuum_migration_downtime_seconds";

    /// <summary>The step from the pause request to the safe point (before the downtime starts).</summary>
    public const string ToSafePoint = MigrationStepNames.SourcePaused;

    /// <summary>The downtime window's steps in order, source pause to target resume, each named by the moment that ends it.</summary>
    public static readonly Dictionary<string, string> Segments = new()
    {
        [MigrationStepNames.SourceCaptured] = "source: safe point -> memory captured",
        [MigrationStepNames.SourceHashed] = "source: hash + compress changed chunks (runtime), queue uploads",
        [MigrationStepNames.SourceWritten] = "source: upload the last batch, wait for the control plane",
        [MigrationStepNames.SourceReported] = "source: flush output, queue report",
        [MigrationStepNames.ServerCheckpointed] = "report reaches server run",
        [MigrationStepNames.ServerRestoreSent] = "server: handle report, send RestoreWorkload",
        [MigrationStepNames.TargetRestoreCommand] = "command reaches target",
        [MigrationStepNames.TargetFetched] = "target: fetch missing chunks",
        [MigrationStepNames.TargetLoaded] = "target: read + verify chunks, load module (RestoreAsync)",
        [MigrationStepNames.TargetResumed] = "target: instantiate + copy memory (to Resumed)",
    };

    public static async Task<PrometheusText> ScrapeAsync(HttpClient api) => PrometheusText.Parse(await api.GetStringAsync(Routes.Metrics));

    /// <summary>
    /// Milliseconds per step of the one migration completed since <paramref name="before"/> (the downtime histogram's
    /// count grew by one); waits a little for the server to record it after the commit was seen.
    /// </summary>
    public static async Task<Dictionary<string, double>> SinceAsync(HttpClient api, PrometheusText before)
    {
        var countBefore = before.Sum(DowntimeHistogram + "_count");
        for (var attempt = 0; ; attempt++)
        {
            var after = await ScrapeAsync(api);
            var completed = after.Sum(DowntimeHistogram + "_count") - countBefore;
            if (completed == 1 || attempt >= 50)
            {
                if (completed != 1)
                {
                    Console.WriteLine($"  /metrics shows {completed} completed migrations since the last scrape, not 1: no step breakdown for this one");
                    return [];
                }
                return Segments.Keys.Append(ToSafePoint).Distinct().ToDictionary(step => step, step =>
                    after.Count(StepHistogram + "_count", "step", step) - before.Count(StepHistogram + "_count", "step", step) == 1
                        ? (after.Sum(StepHistogram + "_sum", "step", step) - before.Sum(StepHistogram + "_sum", "step", step)) * 1000
                        : double.NaN);
            }
            await Task.Delay(20);
        }
    }
}

/// <summary>A Prometheus text-format scrape: each sample's name, labels and value.</summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var brace = line.IndexOf('{');
            string name;
            string rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in SplitLabels(line[(brace + 1)..close]))
                {
                    var eq = pair.IndexOf('=');
                    labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim().Trim('"');
                }
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ');
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var value = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            result._samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
        return result;
    }

    /// <summary>The sum over every series of <paramref name="name"/> (with the label, when given).</summary>
    public double Sum(string name, string? label = null, string? value = null) =>
        _samples.Where(s => s.Name == name && (label is null || s.Labels.GetValueOrDefault(label) == value)).Sum(s => s.Value);

    /// <summary>Like <see cref="Sum"/>, for a counter or a histogram's _count.</summary>
    public double Count(string name, string? label = null, string? value = null) => Sum(name, label, value);

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    private static IEnumerable<string> SplitLabels(string labels)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == '"' && (i == 0 || labels[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (labels[i] == ',' && !quoted)
            {
                yield return labels[start..i];
                start = i + 1;
            }
        }
        if (start < labels.Length && labels[start..].Trim().Length > 0)
        {
            yield return labels[start..];
        }
    }
}
