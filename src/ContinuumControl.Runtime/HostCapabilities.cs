namespace ContinuumControl.Runtime;

/// <summary>Import modules the runtime can satisfy, i.e. the host capabilities an agent offers.</summary>
public static class HostCapabilities
{
    public const string WasiPreview1 = "wasi_snapshot_preview1";

    /// <summary>The platform's own imports (cooperative safe points).</summary>
    public const string Continuum = "continuum";

    public static readonly IReadOnlyList<string> All = [WasiPreview1, Continuum];
}
