namespace ContinuumControl.Scheduling.Scoring;

/// <summary>Names of the built-in scorers.</summary>
public static class PlacementScorers
{
    public const string LeastAllocated = nameof(LeastAllocated);
    public const string Spread = nameof(Spread);
    public const string EdgeLocality = nameof(EdgeLocality);
    public const string EnergyHeadroom = nameof(EnergyHeadroom);
    public const string MigrationCost = nameof(MigrationCost);

    public static IReadOnlyList<IPlacementScorer> All { get; } =
        [new LeastAllocatedScorer(), new SpreadScorer(), new EdgeLocalityScorer(), new EnergyHeadroomScorer(), new MigrationCostScorer()];
}
