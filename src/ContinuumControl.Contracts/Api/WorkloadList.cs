using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Contracts.Api;

/// <summary>One page of <c>GET /api/workloads</c>, newest first (as Kubernetes lists: items plus a continue token).</summary>
/// <param name="Items">At most <c>limit</c> workloads.</param>
/// <param name="Continue">Pass as <c>continue</c> (with the same filters) to get the next page; null on the last page.</param>
public sealed record WorkloadList(IReadOnlyList<WorkloadDto> Items, string? Continue);

/// <summary>Which workloads a list shows; every field is optional and they combine with AND.</summary>
/// <param name="States">Workload states (Pending, Running, Queued, Suspended, Completed, Failed, Stopped); empty for all.</param>
/// <param name="NodeId">Only workloads placed on this node.</param>
/// <param name="Name">Exact name.</param>
/// <param name="Search">Part of the name (case-insensitive) or the start of the module hash.</param>
/// <param name="CreatedAfter">Created at or after this instant.</param>
/// <param name="CreatedBefore">Created before this instant.</param>
public sealed record WorkloadFilter(
    IReadOnlyList<WorkloadState>? States = null,
    Guid? NodeId = null,
    string? Name = null,
    string? Search = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);

/// <summary>A column the dashboard's workload table sorts by.</summary>
public enum WorkloadSort
{
    CreatedAt,
    Name,
    State,
    FinishedAt,
}

/// <summary>One page of the dashboard's workload table, with the number of rows that match the filter.</summary>
public sealed record WorkloadTablePage(IReadOnlyList<WorkloadDto> Items, int TotalCount);
