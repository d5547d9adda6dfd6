using System.Text.Json.Serialization;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Contracts.Agents;

/// <summary>A workload's state as its agent sees it.</summary>
/// <param name="State">Queued, Running, Suspended, Completed, Failed or Stopped (never Pending: that is the server's).</param>
/// <param name="ExitCode">Exit code once finished.</param>
/// <param name="Reason">Why it failed (trap, memory limit, ...), in words a user can act on.</param>
public sealed record WorkloadStatusReport(Guid WorkloadId, long Generation, [property: JsonConverter(typeof(JsonStringEnumConverter<WorkloadState>))] WorkloadState State, int? ExitCode, string? Reason);
