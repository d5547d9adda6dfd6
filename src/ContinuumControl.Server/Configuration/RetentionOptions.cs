using Microsoft.Extensions.Options;

namespace ContinuumControl.Server.Configuration;

/// <summary>
/// How long finished workloads (with their output and migrations) are kept (section "Retention"): the Retention job
/// removes those finished longer ago than <see cref="FinishedWorkloadHours"/>, and the oldest beyond
/// <see cref="MaxFinishedWorkloads"/>, so the database stays bounded however many workloads run.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Hours a finished workload is kept after it finished (default 7 days).</summary>
    public int FinishedWorkloadHours { get; set; } = 7 * 24;

    /// <summary>Most finished workloads kept; the oldest-finished beyond it go first (default 10,000).</summary>
    public int MaxFinishedWorkloads { get; set; } = 10_000;

    /// <summary>When the job runs: cron, five fields or six with seconds first (default every 10 minutes).</summary>
    public string Schedule { get; set; } = "*/10 * * * *";

    public TimeSpan FinishedWorkloadAge => TimeSpan.FromHours(FinishedWorkloadHours);

    /// <summary>Every problem with the settings, each naming its key and what to set instead.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (FinishedWorkloadHours < 1)
        {
            problems.Add($"{Section}:FinishedWorkloadHours must be at least 1 (hours a finished workload is kept); got {FinishedWorkloadHours}");
        }
        if (MaxFinishedWorkloads < 1)
        {
            problems.Add($"{Section}:MaxFinishedWorkloads must be at least 1 (finished workloads kept); got {MaxFinishedWorkloads}");
        }
        if (!OrchestrationOptions.TryParseSchedule(Schedule, out _))
        {
            problems.Add($"{Section}:Schedule '{Schedule}' is not a cron expression; use five fields, or six with seconds first, e.g. \"*/10 * * * *\"");
        }
        return problems;
    }
}

/// <summary>Refuses to start with retention settings that would keep nothing, everything, or never run.</summary>
public sealed class ValidateRetentionOptions : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
