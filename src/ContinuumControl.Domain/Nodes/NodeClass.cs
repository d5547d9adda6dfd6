namespace ContinuumControl.Domain.Nodes;

/// <summary>Where in the continuum a node sits.</summary>
public enum NodeClass
{
    Edge,
    Cloud,
}
