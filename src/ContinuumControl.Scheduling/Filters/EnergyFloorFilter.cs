using ContinuumControl.Scheduling.Configuration;

namespace ContinuumControl.Scheduling.Filters;

/// <summary>An energy-harvesting node that is low, or would soon be, takes no work; mains-powered nodes always pass.</summary>
public sealed class EnergyFloorFilter(EnergyOptions options) : IPlacementFilter
{
    public string Name => PlacementFilters.EnergyFloor;

    public string? Reject(NodeCandidate node, PlacementRequest request)
    {
        if (node.EnergyLevel is not { } level)
        {
            return null;
        }
        if (level < options.MinLevel)
        {
            return $"energy store at {level:P0}, below the floor of {options.MinLevel:P0}";
        }
        return node.EnergySecondsLeft is { } left && left < options.MinSecondsLeft
            ? $"energy store runs out in {left:0} s at its current draw, under the {options.MinSecondsLeft:0} s floor"
            : null;
    }
}
