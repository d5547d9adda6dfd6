using ContinuumControl.Scheduling.Configuration;

namespace ContinuumControl.Scheduling.Filters;

/// <summary>Names of the built-in filters.</summary>
public static class PlacementFilters
{
    public const string NodeReady = nameof(NodeReady);
    public const string ResourceFit = nameof(ResourceFit);
    public const string Class = nameof(Class);
    public const string Labels = nameof(Labels);
    public const string HostCapabilities = nameof(HostCapabilities);
    public const string EnergyFloor = nameof(EnergyFloor);

    /// <summary>All built-in filters, cheapest first.</summary>
    public static IReadOnlyList<IPlacementFilter> Default { get; } = Create(new EnergyOptions());

    public static IReadOnlyList<IPlacementFilter> Create(EnergyOptions energy) =>
        [new NodeReadyFilter(), new ClassFilter(), new LabelsFilter(), new HostCapabilitiesFilter(), new EnergyFloorFilter(energy), new ResourceFitFilter()];
}
