namespace ContinuumControl.Dashboard.Model;

/// <summary>The node classes as the API spells them.</summary>
public static class NodeClasses
{
    public const string Edge = "Edge";
    public const string Cloud = "Cloud";
}
