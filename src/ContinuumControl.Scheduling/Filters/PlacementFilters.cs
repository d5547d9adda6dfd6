namespace ContinuumControl.Scheduling.Filters;

/// <summary>Names of the built-in filters.</summary>
public static class PlacementFilters
{
    public const string NodeReady = nameof(NodeReady);
    public const string ResourceFit = nameof(ResourceFit);
    public const string Class = nameof(Class);
    public const string Labels = nameof(Labels);
    public const string HostCapabilities = nameof(HostCapabilities);

    /// <summary>All built-in filters, cheapest first.</summary>
    public static IReadOnlyList<IPlacementFilter> Default { get; } =
        [new NodeReadyFilter(), new ClassFilter(), new LabelsFilter(), new HostCapabilitiesFilter(), new ResourceFitFilter()];
}
