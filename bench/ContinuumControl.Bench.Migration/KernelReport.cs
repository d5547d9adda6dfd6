using System.Text;

namespace ContinuumControl.Bench.Migration;

/// <summary>The markdown of a <c>kernels</c> run: per kernel and overall distributions, the downtime's steps, and what failed.</summary>
internal static class KernelReport
{
    private const double TargetP99Ms = 20;

    public static string Render(List<KernelSample> samples, Dictionary<string, (byte[] Output, double Seconds)> references, Dictionary<string, (int Runs, int Identical)> verified,
        List<double> warm, List<string> failures, KernelOptions opts, string loadBefore, string loadAfter, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        md.AppendLine($"Machine: {Machine.Describe()}");
        md.AppendLine($"Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. Run took {elapsed.TotalSeconds:0} s.{(opts.Label is { } l ? $" Build: {l}." : "")}");
        md.AppendLine($"{samples.Count} migrations ({(opts.PreCopy ? "pre-copy" : "stop-and-copy")}), seed {opts.Seed}, up to {opts.PerRun} per run at random moments, {references.Count} kernels; memory limit 48 MiB (each kernel uses under 16 MiB).");
        md.AppendLine();
        md.AppendLine("| Kernel | reference run s | n | Downtime ms (median / p90 / p99 / max) | Request -> safe point ms (median / p90 / p99 / max) | Output identical |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, reference) in references)
        {
            var mine = samples.Where(s => s.Kernel == name).ToList();
            var (runs, identical) = verified.GetValueOrDefault(name);
            md.AppendLine($"| {name} | {reference.Seconds:0.0} | {mine.Count} | {Stats.Of(mine.Select(s => s.DowntimeMs)).Ms4} | {Stats.Of(mine.Select(s => s.ToSafePointMs)).Ms4} | {identical}/{runs} runs |");
        }
        var down = Stats.Of(samples.Select(s => s.DowntimeMs));
        var safe = Stats.Of(samples.Select(s => s.ToSafePointMs));
        var allRuns = verified.Values.Sum(v => v.Runs);
        var allIdentical = verified.Values.Sum(v => v.Identical);
        md.AppendLine($"| **all** | | **{down.Count}** | **{down.Ms4}** | **{safe.Ms4}** | **{allIdentical}/{allRuns} runs** |");
        md.AppendLine();
        md.AppendLine($"Target p99 downtime ≤ {TargetP99Ms} ms: {(down.P99 <= TargetP99Ms ? "met" : "missed")} (p99 {down.P99:0.0} ms).");
        md.AppendLine();
        md.AppendLine("Downtime steps, ms (median / p90 / p99 / max over all migrations, from the server's `/metrics`: `continuum_migration_step_duration_seconds` per step across each migration):");
        md.AppendLine();
        md.AppendLine("| Step | ms |");
        md.AppendLine("|---|---|");
        foreach (var (ev, label) in StepMetrics.Segments)
        {
            md.AppendLine($"| {label} | {Stats.Of(samples.Select(s => s.Steps.GetValueOrDefault(ev, double.NaN))).Ms4} |");
        }
        md.AppendLine();
        md.AppendLine("The five longest downtimes and their largest step:");
        md.AppendLine();
        foreach (var s in samples.OrderByDescending(s => s.DowntimeMs).Take(5))
        {
            var worst = s.Steps.Where(kv => double.IsFinite(kv.Value)).OrderByDescending(kv => kv.Value).FirstOrDefault();
            md.AppendLine($"- {s.Kernel} run {s.Run} at {s.AtSeconds:0.00} s: {s.DowntimeMs:0.0} ms; largest step {StepMetrics.Segments.GetValueOrDefault(worst.Key ?? "", worst.Key ?? "?")} {worst.Value:0.0} ms; to safe point {s.ToSafePointMs:0.0} ms");
        }
        if (warm.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"Warm-up (not in the table): the first {warm.Count} migrations after the agents started had downtimes of {string.Join(", ", warm.Select(d => $"{d:0.0}"))} ms.");
        }
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Not completed: " + string.Join("; ", failures));
        }
        return md.ToString();
    }
}
