namespace ContinuumControl.Agent.Energy;

/// <summary>
/// A simulated energy-harvesting supply (section Agent:Energy): a store of <see cref="CapacityJoules"/> charged by a
/// constant harvest and drained by the node (idle draw plus a draw per running workload). When the store falls to
/// <see cref="SuspendLevel"/> the node suspends its running workloads, and resumes them once it is back at
/// <see cref="SuspendLevel"/> + <see cref="ResumeMargin"/>.
/// </summary>
public sealed class EnergySupplyOptions
{
    public bool Enabled { get; set; }

    /// <summary>Usable capacity of the store (36 kJ = 10 Wh).</summary>
    public double CapacityJoules { get; set; } = 36_000;

    /// <summary>Charge at agent start, 0..1 of capacity.</summary>
    public double InitialLevel { get; set; } = 1;

    /// <summary>Power coming in (solar panel, ...), constant.</summary>
    public double HarvestWatts { get; set; } = 5;

    /// <summary>What the node draws with nothing running.</summary>
    public double IdleWatts { get; set; } = 2;

    /// <summary>Extra draw of each running workload (suspended ones draw nothing).</summary>
    public double WattsPerRunningWorkload { get; set; } = 4;

    /// <summary>At or below this level (0..1) the node suspends its workloads.</summary>
    public double SuspendLevel { get; set; } = 0.05;

    /// <summary>Workloads resume once the level is back at <see cref="SuspendLevel"/> plus this much (hysteresis).</summary>
    public double ResumeMargin { get; set; } = 0.05;

    /// <summary>Every problem with these settings, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(CapacityJoules > 0) || double.IsInfinity(CapacityJoules))
        {
            yield return $"Agent:Energy:CapacityJoules is {CapacityJoules}; it must be a positive number of joules (36000 = 10 Wh)";
        }
        if (!(InitialLevel is >= 0 and <= 1))
        {
            yield return $"Agent:Energy:InitialLevel is {InitialLevel}; it must be between 0 (empty) and 1 (full)";
        }
        foreach (var (key, watts) in new[] { ("HarvestWatts", HarvestWatts), ("IdleWatts", IdleWatts), ("WattsPerRunningWorkload", WattsPerRunningWorkload) })
        {
            if (!(watts >= 0) || double.IsInfinity(watts))
            {
                yield return $"Agent:Energy:{key} is {watts}; it must be zero or a positive number of watts";
            }
        }
        if (!(SuspendLevel is >= 0 and < 1))
        {
            yield return $"Agent:Energy:SuspendLevel is {SuspendLevel}; it must be at least 0 and below 1 (0.05 suspends at 5%)";
        }
        if (!(ResumeMargin > 0) || SuspendLevel + ResumeMargin > 1)
        {
            yield return $"Agent:Energy:ResumeMargin is {ResumeMargin}; it must be positive and SuspendLevel + ResumeMargin at most 1, or the node would never resume";
        }
    }
}
