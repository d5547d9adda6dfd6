using System.Text.Json;
using ContinuumControl.Domain.Workloads;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContinuumControl.Persistence;

/// <summary>A workload's runs as one JSON column: read and written with the workload, never queried on their own.</summary>
internal sealed class JsonAttemptsConverter() : ValueConverter<List<WorkloadAttempt>, string>(
    v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
    v => JsonSerializer.Deserialize<List<WorkloadAttempt>>(v, (JsonSerializerOptions?)null) ?? new List<WorkloadAttempt>());

internal sealed class JsonAttemptsComparer() : ValueComparer<List<WorkloadAttempt>>(
    (a, b) => a!.SequenceEqual(b!),
    v => v.Aggregate(0, (h, a) => HashCode.Combine(h, a)),
    v => v.ToList());
