using ContinuumControl.Contracts.Agents;

namespace ContinuumControl.Agent.Energy;

/// <summary>What a change of the energy store asks of the node.</summary>
public enum EnergyTransition
{
    None,

    /// <summary>The store fell to the suspend level: suspend running workloads.</summary>
    Suspend,

    /// <summary>The store climbed back above the suspend level plus the margin: resume them.</summary>
    Resume,
}

/// <summary>
/// The simulated store of an energy-harvesting node, integrated step by step: between two updates the node drew
/// what it drew at the first of them. Pure: the caller supplies the time and the number of running workloads.
/// </summary>
public sealed class EnergyModel(EnergySupplyOptions options, DateTimeOffset start)
{
    private DateTimeOffset _last = start;

    /// <summary>Charge, 0..1 of capacity.</summary>
    public double Level { get; private set; } = Math.Clamp(options.InitialLevel, 0, 1);

    /// <summary>Power drawn since the last update.</summary>
    public double DrawWatts { get; private set; } = options.IdleWatts;

    /// <summary>True from a <see cref="EnergyTransition.Suspend"/> until the following <see cref="EnergyTransition.Resume"/>.</summary>
    public bool Suspending { get; private set; }

    /// <summary>Seconds until the store falls to the suspend level at the current net draw; null when it is not falling.</summary>
    public double? SecondsLeft
    {
        get
        {
            var net = options.HarvestWatts - DrawWatts;
            return net >= 0 ? null : Math.Max(0, (Level - options.SuspendLevel) * options.CapacityJoules / -net);
        }
    }

    /// <summary>Integrates the store up to <paramref name="now"/> and sets the draw from here on.</summary>
    public EnergyTransition Update(DateTimeOffset now, int runningWorkloads)
    {
        var seconds = Math.Max(0, (now - _last).TotalSeconds);
        _last = now > _last ? now : _last;
        Level = Math.Clamp(Level + ((options.HarvestWatts - DrawWatts) * seconds / options.CapacityJoules), 0, 1);
        Load(runningWorkloads);
        if (!Suspending && Level <= options.SuspendLevel)
        {
            Suspending = true;
            return EnergyTransition.Suspend;
        }
        if (Suspending && Level >= options.SuspendLevel + options.ResumeMargin)
        {
            Suspending = false;
            return EnergyTransition.Resume;
        }
        return EnergyTransition.None;
    }

    /// <summary>Sets the draw from here on without integrating (the node just suspended or resumed its workloads).</summary>
    public void Load(int runningWorkloads) => DrawWatts = options.IdleWatts + (options.WattsPerRunningWorkload * Math.Max(0, runningWorkloads));

    public EnergyReport Report() => new(Level, options.HarvestWatts, DrawWatts, SecondsLeft);
}
