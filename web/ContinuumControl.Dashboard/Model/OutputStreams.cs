namespace ContinuumControl.Dashboard.Model;

/// <summary>Stream names as <see cref="ServiceClient.IControlPlaneClient.GetOutputAsync"/> takes them.</summary>
public static class OutputStreams
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
}
