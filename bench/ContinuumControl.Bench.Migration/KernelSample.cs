using System.Globalization;
using System.Text;

namespace ContinuumControl.Bench.Migration;

/// <summary>
/// One completed migration of a kernel: the product's downtime (source paused -> target running, as stored by the
/// server) and, from the server's /metrics, the source's time from the pause request to its safe point and the downtime's steps.
/// </summary>
internal sealed record KernelSample(string Kernel, int Run, double AtSeconds, double DowntimeMs, double ToSafePointMs, double TotalMs, IReadOnlyDictionary<string, double> Steps)
{
    private static readonly string[] StepColumns = [.. StepMetrics.Segments.Keys];

    public static string CsvHeader => "kernel,run,at_s,downtime_ms,to_safe_point_ms,total_ms," + string.Join(',', StepColumns);

    public string ToCsv() => string.Join(',', [Kernel, Run.ToString(CultureInfo.InvariantCulture), F(AtSeconds), F(DowntimeMs), F(ToSafePointMs), F(TotalMs), .. StepColumns.Select(c => F(Steps.GetValueOrDefault(c, double.NaN)))]);

    public static List<KernelSample> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var samples = new List<KernelSample>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            double D(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
            var steps = new Dictionary<string, double>();
            for (var i = 6; i < header.Length && i < cells.Length; i++)
            {
                steps[header[i]] = D(i);
            }
            samples.Add(new KernelSample(cells[0], int.Parse(cells[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), D(5), steps));
        }
        return samples;
    }

    public static void WriteCsv(string path, IEnumerable<KernelSample> samples)
    {
        var sb = new StringBuilder().AppendLine(CsvHeader);
        foreach (var s in samples)
        {
            sb.AppendLine(s.ToCsv());
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "NaN";
}
