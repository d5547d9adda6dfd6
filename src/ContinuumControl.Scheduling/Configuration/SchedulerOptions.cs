namespace ContinuumControl.Scheduling.Configuration;

/// <summary>
/// Which filters and scorers run, their weights, and the policies' tunables that shape plans (section
/// "Orchestration:Scheduler"). Empty lists mean every built-in filter and every scorer with weight 1.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Orchestration:Scheduler";

    /// <summary>Filter names, run in this order (cheap ones first pays).</summary>
    public List<string> Filters { get; set; } = [];

    /// <summary>Scorer name -> weight (0 switches one off).</summary>
    public Dictionary<string, double> Scorers { get; set; } = [];

    /// <summary>Feasible nodes scored per placement; more finds slightly better nodes in big clusters at a linear cost (Nomad samples too).</summary>
    public int MaxCandidates { get; set; } = 16;

    public RebalanceOptions Rebalance { get; set; } = new();

    public EnergyOptions Energy { get; set; } = new();
}

/// <summary>When and how much the Rebalance policy moves.</summary>
public sealed class RebalanceOptions
{
    /// <summary>Move when the most and least loaded nodes differ by more than this (load 0..1: slot or memory use, the larger).</summary>
    public double Threshold { get; set; } = 0.25;

    /// <summary>A move must narrow that difference by at least this much; it keeps work from ping-ponging.</summary>
    public double MinImprovement { get; set; } = 0.1;

    /// <summary>Migrations at once touching one node (in flight and planned).</summary>
    public int MaxConcurrentPerNode { get; set; } = 2;

    /// <summary>Migrations at once in the cluster.</summary>
    public int MaxConcurrentPerCluster { get; set; } = 8;

    /// <summary>A workload that moved within this many seconds is left alone.</summary>
    public int CooldownSeconds { get; set; } = 60;
}

/// <summary>The EnergyFloor filter's and EnergyLow policy's thresholds for energy-harvesting nodes.</summary>
public sealed class EnergyOptions
{
    /// <summary>A harvesting node below this stored level (0..1) takes no work and its work moves away.</summary>
    public double MinLevel { get; set; } = 0.3;

    /// <summary>Nor does one that would reach its suspend level within this many seconds at its current draw.</summary>
    public double MinSecondsLeft { get; set; } = 120;
}
