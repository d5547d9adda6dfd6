using ContinuumControl.Scheduling.Configuration;

namespace ContinuumControl.Scheduling.Tests.Configuration;

public sealed class SchedulerConfigurationTests
{
    [Fact]
    public void Build_Empty_RunsEveryFilterAndScorer()
    {
        var configuration = SchedulerConfiguration.Build(new SchedulerOptions());
        Assert.Equal(["NodeReady", "Class", "Labels", "HostCapabilities", "EnergyFloor", "ResourceFit"], configuration.Filters.Select(f => f.Name));
        Assert.Equal(5, configuration.Scorers.Count);
    }

    [Fact]
    public void Build_UnknownNamesAndBadValues_ReportsEveryProblemWithItsKey()
    {
        var options = new SchedulerOptions
        {
            Filters = ["NodeReady", "Gpu"],
            Scorers = new() { ["LeastAllocated"] = 2, ["Cheapest"] = 1, ["Spread"] = -1 },
            MaxCandidates = 0,
        };
        var error = Assert.Throws<SchedulerConfigurationException>(() => SchedulerConfiguration.Build(options));
        Assert.Contains(error.Problems, p => p.StartsWith("Orchestration:Scheduler:Filters:1 'Gpu' is not a known filter; known filters: NodeReady,", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Orchestration:Scheduler:Scorers:Cheapest is not a known scorer; known scorers: LeastAllocated,", StringComparison.Ordinal));
        Assert.Contains("Orchestration:Scheduler:Scorers:Spread weight must be zero (off) or positive; got -1", error.Problems);
        Assert.Contains("Orchestration:Scheduler:MaxCandidates must be at least 1; got 0", error.Problems);
    }

    [Fact]
    public void Build_ZeroWeight_SwitchesAScorerOff()
    {
        var configuration = SchedulerConfiguration.Build(new SchedulerOptions { Scorers = new() { ["LeastAllocated"] = 1, ["Spread"] = 0 } });
        Assert.Equal(["LeastAllocated"], configuration.Scorers.Select(s => s.Scorer.Name));
    }

    [Fact]
    public void Build_RebalanceHysteresisAboveThreshold_IsRefused()
    {
        var error = Assert.Throws<SchedulerConfigurationException>(() =>
            SchedulerConfiguration.Build(new SchedulerOptions { Rebalance = new RebalanceOptions { Threshold = 0.2, MinImprovement = 0.3 } }));
        Assert.Contains(error.Problems, p => p.StartsWith("Orchestration:Scheduler:Rebalance:MinImprovement", StringComparison.Ordinal));
    }
}
