using Cronos;

namespace ContinuumControl.Server.Configuration;

/// <summary>
/// Cluster policies (section "Orchestration:Policies"): each one a Hangfire recurring job that can be switched off here
/// and paused by an operator at run time. How the scheduler filters and scores nodes is "Orchestration:Scheduler".
/// </summary>
public sealed class OrchestrationOptions
{
    public const string Section = "Orchestration";

    public PoliciesOptions Policies { get; set; } = new();

    /// <summary>Every problem with the settings, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, policy) in Policies.All)
        {
            var key = $"{Section}:Policies:{name}";
            if (!TryParseSchedule(policy.Schedule, out _))
            {
                problems.Add($"{key}:Schedule '{policy.Schedule}' is not a cron expression; use five fields, or six with seconds first, e.g. \"*/15 * * * * *\"");
            }
        }
        if (Policies.NodeDown.CheckpointIntervalSeconds < 0)
        {
            problems.Add($"{Section}:Policies:NodeDown:CheckpointIntervalSeconds must be zero (no periodic checkpoints) or positive; got {Policies.NodeDown.CheckpointIntervalSeconds}");
        }
        return problems;
    }

    public static bool TryParseSchedule(string? schedule, out CronExpression? expression)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return false;
        }
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return fields is 5 or 6 && CronExpression.TryParse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out expression);
    }
}

/// <summary>The built-in policies' settings.</summary>
public sealed class PoliciesOptions
{
    public PolicyOptions Rebalance { get; set; } = new() { Schedule = "*/30 * * * * *" };

    public PolicyOptions Drain { get; set; } = new() { Schedule = "*/10 * * * * *" };

    public PolicyOptions Offload { get; set; } = new() { Schedule = "*/10 * * * * *" };

    public PolicyOptions EnergyLow { get; set; } = new() { Schedule = "*/5 * * * * *" };

    public NodeDownPolicyOptions NodeDown { get; set; } = new() { Schedule = "*/10 * * * * *" };

    public IEnumerable<(string Name, PolicyOptions Options)> All =>
        [(nameof(Rebalance), Rebalance), (nameof(Drain), Drain), (nameof(Offload), Offload), (nameof(EnergyLow), EnergyLow), (nameof(NodeDown), NodeDown)];

    public PolicyOptions? Find(string name) => All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Options;
}

/// <summary>One policy: on or off, and when it runs (cron, seconds field optional).</summary>
public class PolicyOptions
{
    public bool Enabled { get; set; } = true;

    public string Schedule { get; set; } = "*/15 * * * * *";
}

/// <summary>NodeDown recovery needs periodic checkpoints to resume from.</summary>
public sealed class NodeDownPolicyOptions : PolicyOptions
{
    /// <summary>How often agents checkpoint running workloads into the chunk store: the most progress a lost node costs. 0: never.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 30;
}
