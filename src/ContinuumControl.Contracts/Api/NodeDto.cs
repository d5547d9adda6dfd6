using System.Text.Json.Serialization;
using ContinuumControl.Domain.Nodes;

namespace ContinuumControl.Contracts.Api;

/// <summary>A node in the resource pool as the API shows it.</summary>
/// <param name="Workloads">Workloads placed on it (Pending or Running).</param>
/// <param name="ReportedWorkloads">Workloads its agent reported running at its last heartbeat.</param>
public sealed record NodeDto(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<NodeClass>))] NodeClass Class,
    [property: JsonConverter(typeof(JsonStringEnumConverter<NodeState>))] NodeState State,
    string Architecture,
    int Cores,
    long MemoryBytes,
    long MemoryAllocatedBytes,
    double CpuPercent,
    long MemoryUsedBytes,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Capabilities,
    DateTimeOffset LastHeartbeatAt,
    int Workloads,
    int ReportedWorkloads = 0,
    NodePressureDto? Pressure = null,
    NodeEnergyDto? Energy = null);

/// <summary>The node's local scheduler load at its last heartbeat.</summary>
public sealed record NodePressureDto(int Slots, int SlotsUsed, int Queued, int Suspended);

/// <summary>An energy-harvesting node's store at its last heartbeat.</summary>
public sealed record NodeEnergyDto(double Level, double? HarvestWatts, double? SecondsLeft);
