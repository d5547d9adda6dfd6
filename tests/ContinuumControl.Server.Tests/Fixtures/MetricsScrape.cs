using System.Globalization;
using System.Text.RegularExpressions;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>A scrape of /metrics (Prometheus text format): sums of a metric's samples, filtered by labels.</summary>
public sealed partial class MetricsScrape(string text)
{
    public string Text { get; } = text;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();

    /// <summary>The sum of <paramref name="name"/>'s samples that carry every label in <paramref name="labels"/> ("key=value").</summary>
    public double Sum(string name, params string[] labels)
    {
        var total = 0.0;
        foreach (Match m in Sample().Matches(Text))
        {
            if (m.Groups["name"].Value != name)
            {
                continue;
            }
            var have = Label().Matches(m.Groups["labels"].Value).Select(l => $"{l.Groups["key"].Value}={l.Groups["value"].Value}").ToHashSet();
            if (labels.All(have.Contains))
            {
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    public bool Has(string name) => Sample().Matches(Text).Any(m => m.Groups["name"].Value == name);
}
