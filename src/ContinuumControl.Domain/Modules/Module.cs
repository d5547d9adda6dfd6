namespace ContinuumControl.Domain.Modules;

/// <summary>An uploaded .wasm, content-addressed by the SHA-256 of its bytes.</summary>
public sealed class Module
{
    /// <summary>Lower-case hex SHA-256 of the module bytes.</summary>
    public required string Hash { get; set; }
    public required string Name { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 of the module as instrumented for migration: what agents download and checkpoints name.</summary>
    public string InstrumentedHash { get; set; } = "";

    /// <summary>Cooperative (the module yields) or Automatic (inserted safe points).</summary>
    public string SafePoints { get; set; } = "";

    /// <summary>Host imports the module needs, as "module.name".</summary>
    public List<string> Imports { get; set; } = new();
    public DateTimeOffset UploadedAt { get; set; }
}
