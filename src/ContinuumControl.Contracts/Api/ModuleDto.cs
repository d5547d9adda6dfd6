namespace ContinuumControl.Contracts.Api;

/// <summary>An uploaded module.</summary>
public sealed record ModuleDto(string Hash, string Name, long SizeBytes, IReadOnlyList<string> Imports, DateTimeOffset UploadedAt);
