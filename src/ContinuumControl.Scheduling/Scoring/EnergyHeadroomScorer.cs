namespace ContinuumControl.Scheduling.Scoring;

/// <summary>Prefers mains power, then harvesting nodes with a fuller store and more time left at their draw.</summary>
public sealed class EnergyHeadroomScorer : IPlacementScorer
{
    /// <summary>Ten minutes of energy left counts as plenty.</summary>
    private const double PlentySeconds = 600;

    public string Name => PlacementScorers.EnergyHeadroom;

    public double Score(NodeCandidate node, ScoringContext context) => node.EnergyLevel switch
    {
        null => 1,
        { } level => Math.Clamp(level * (node.EnergySecondsLeft is { } left ? Math.Min(1, left / PlentySeconds) : 1), 0, 1),
    };
}
