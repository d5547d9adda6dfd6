using ContinuumControl.Scheduling.Filters;
using ContinuumControl.Scheduling.Scoring;

namespace ContinuumControl.Scheduling.Configuration;

/// <summary>The validated filter chain, weighted scorers and tunables the scheduler runs with.</summary>
public sealed class SchedulerConfiguration
{
    private SchedulerConfiguration(SchedulerOptions options, IReadOnlyList<IPlacementFilter> filters, IReadOnlyList<(IPlacementScorer Scorer, double Weight)> scorers)
    {
        Options = options;
        Filters = filters;
        Scorers = scorers;
    }

    public SchedulerOptions Options { get; }
    public IReadOnlyList<IPlacementFilter> Filters { get; }
    public IReadOnlyList<(IPlacementScorer Scorer, double Weight)> Scorers { get; }

    /// <summary>Everything built in, default weights.</summary>
    public static SchedulerConfiguration Default { get; } = Build(new SchedulerOptions());

    /// <summary>Builds from settings; every problem is reported at once, each naming its key.</summary>
    /// <exception cref="SchedulerConfigurationException">Unknown names, negative weights, values out of range.</exception>
    public static SchedulerConfiguration Build(SchedulerOptions options)
    {
        const string key = SchedulerOptions.Section;
        var problems = new List<string>();
        var knownFilters = PlacementFilters.Create(options.Energy);
        var filters = new List<IPlacementFilter>();
        var filterNames = options.Filters.Count == 0 ? knownFilters.Select(f => f.Name).ToList() : options.Filters;
        for (var i = 0; i < filterNames.Count; i++)
        {
            var filter = knownFilters.FirstOrDefault(f => f.Name.Equals(filterNames[i], StringComparison.OrdinalIgnoreCase));
            if (filter is null)
            {
                problems.Add($"{key}:Filters:{i} '{filterNames[i]}' is not a known filter; known filters: {string.Join(", ", knownFilters.Select(f => f.Name))}");
            }
            else if (!filters.Contains(filter))
            {
                filters.Add(filter);
            }
        }
        var knownScorers = PlacementScorers.All;
        var scorers = new List<(IPlacementScorer, double)>();
        var weights = options.Scorers.Count == 0 ? knownScorers.ToDictionary(s => s.Name, _ => 1.0) : options.Scorers;
        foreach (var (name, weight) in weights)
        {
            var scorer = knownScorers.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (scorer is null)
            {
                problems.Add($"{key}:Scorers:{name} is not a known scorer; known scorers: {string.Join(", ", knownScorers.Select(s => s.Name))}");
            }
            else if (weight < 0 || !double.IsFinite(weight))
            {
                problems.Add($"{key}:Scorers:{name} weight must be zero (off) or positive; got {weight}");
            }
            else if (weight > 0)
            {
                scorers.Add((scorer, weight));
            }
        }
        if (options.MaxCandidates < 1)
        {
            problems.Add($"{key}:MaxCandidates must be at least 1; got {options.MaxCandidates}");
        }
        var rebalance = options.Rebalance;
        if (rebalance.Threshold is <= 0 or > 1)
        {
            problems.Add($"{key}:Rebalance:Threshold must be in (0, 1]; got {rebalance.Threshold}");
        }
        if (rebalance.MinImprovement < 0 || rebalance.MinImprovement > rebalance.Threshold)
        {
            problems.Add($"{key}:Rebalance:MinImprovement must be between 0 and the threshold ({rebalance.Threshold}); got {rebalance.MinImprovement}");
        }
        if (rebalance.MaxConcurrentPerNode < 1 || rebalance.MaxConcurrentPerCluster < 1)
        {
            problems.Add($"{key}:Rebalance:MaxConcurrentPerNode and MaxConcurrentPerCluster must be at least 1");
        }
        if (rebalance.CooldownSeconds < 0)
        {
            problems.Add($"{key}:Rebalance:CooldownSeconds must not be negative; got {rebalance.CooldownSeconds}");
        }
        if (options.Energy.MinLevel is < 0 or > 1)
        {
            problems.Add($"{key}:Energy:MinLevel must be in [0, 1]; got {options.Energy.MinLevel}");
        }
        if (options.Energy.MinSecondsLeft < 0)
        {
            problems.Add($"{key}:Energy:MinSecondsLeft must not be negative; got {options.Energy.MinSecondsLeft}");
        }
        if (problems.Count > 0)
        {
            throw new SchedulerConfigurationException(problems);
        }
        return new SchedulerConfiguration(options, filters, scorers);
    }
}
