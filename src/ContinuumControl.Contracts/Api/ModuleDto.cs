namespace ContinuumControl.Contracts.Api;

/// <summary>An uploaded module.</summary>
/// <param name="Hash">SHA-256 of the module as uploaded; workloads name this.</param>
/// <param name="InstrumentedHash">SHA-256 of the form instrumented for migration, which nodes run and checkpoints name.</param>
/// <param name="SafePoints">Cooperative (the module calls continuum.yield) or Automatic (inserted at loop headers and function entries).</param>
public sealed record ModuleDto(string Hash, string Name, long SizeBytes, IReadOnlyList<string> Imports, DateTimeOffset UploadedAt, string InstrumentedHash = "", string SafePoints = "");
