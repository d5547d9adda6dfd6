namespace ContinuumControl.Scheduling.Scoring;

/// <summary>
/// For a move, prefers targets that make it cheap: the module already there (precompiled, its chunks likely cached)
/// and room to spare for the memory that travels. New placements cost nothing to move: 1.
/// </summary>
public sealed class MigrationCostScorer : IPlacementScorer
{
    public string Name => PlacementScorers.MigrationCost;

    public double Score(NodeCandidate node, ScoringContext context)
    {
        if (!context.IsMove)
        {
            return 1;
        }
        var moduleThere = node.Modules.GetValueOrDefault(context.Workload.ModuleHash) > 0 ? 1.0 : 0.0;
        var room = node.MemoryFreeBytes <= 0 ? 0 : 1 - Math.Min(1, (double)context.Workload.MemoryBytes / node.MemoryFreeBytes);
        return (0.5 * moduleThere) + (0.5 * room);
    }
}
