using System.Globalization;
using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Workloads;

/// <summary>The query string of <c>GET /api/workloads</c>, as sent; <see cref="ResolveAsync"/> checks every field at once.</summary>
public sealed class WorkloadListRequest
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Page size, 1 to 500 (default 100).</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; init; }

    /// <summary>The <c>continue</c> token of the previous page; send the same filters with it.</summary>
    [FromQuery(Name = "continue")]
    public string? Continue { get; init; }

    /// <summary>One state or several separated by commas: Pending, Running, Queued, Suspended, Completed, Failed, Stopped.</summary>
    [FromQuery(Name = "state")]
    public string? State { get; init; }

    /// <summary>A node's id or name.</summary>
    [FromQuery(Name = "node")]
    public string? Node { get; init; }

    /// <summary>Exact workload name.</summary>
    [FromQuery(Name = "name")]
    public string? Name { get; init; }

    /// <summary>Part of the name (case-insensitive) or the start of the module hash.</summary>
    [FromQuery(Name = "search")]
    public string? Search { get; init; }

    /// <summary>ISO 8601 instant, e.g. 2026-12-01T00:00:00Z: created at or after it.</summary>
    [FromQuery(Name = "createdAfter")]
    public string? CreatedAfter { get; init; }

    /// <summary>ISO 8601 instant: created before it.</summary>
    [FromQuery(Name = "createdBefore")]
    public string? CreatedBefore { get; init; }

    public sealed record Resolved(WorkloadFilter Filter, int Limit, ContinueToken? From, string FilterKey);

    /// <summary>The filter, page size and start position, or every problem keyed by its query parameter.</summary>
    public async Task<(Resolved? Request, Dictionary<string, string[]> Errors)> ResolveAsync(ControlPlaneDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var limit = DefaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            errors["limit"] = [$"'{Limit}' is not a page size; send a whole number from 1 to {MaxLimit} (default {DefaultLimit})."];
        }

        List<WorkloadState>? states = null;
        if (!string.IsNullOrWhiteSpace(State))
        {
            states = [];
            foreach (var part in State.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (EnumNames.TryParse<WorkloadState>(part, out var state))
                {
                    states.Add(state);
                }
                else
                {
                    errors["state"] = [$"'{part}' is not a workload state; send one or more of {EnumNames.List<WorkloadState>()}, separated by commas."];
                }
            }
        }

        Guid? nodeId = null;
        if (!string.IsNullOrWhiteSpace(Node))
        {
            nodeId = Guid.TryParse(Node, out var id)
                ? id
                : await db.Nodes.AsNoTracking().Where(n => n.Name == Node).Select(n => (Guid?)n.Id).FirstOrDefaultAsync(cancellationToken);
            if (nodeId is null)
            {
                errors["node"] = [$"No node has the name '{Node}'; send a node's id or name as GET /api/nodes lists them."];
            }
        }

        var after = ParseInstant(CreatedAfter, "createdAfter", errors);
        var before = ParseInstant(CreatedBefore, "createdBefore", errors);
        if (after is { } a && before is { } b && a >= b)
        {
            errors["createdBefore"] = ["createdBefore must be later than createdAfter."];
        }

        var filter = new WorkloadFilter(states, nodeId, string.IsNullOrEmpty(Name) ? null : Name, string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(), after, before);
        var key = FilterKey(filter);
        ContinueToken? from = null;
        if (Continue is not null)
        {
            if (ContinueToken.TryDecode(Continue, key, out var token))
            {
                from = token;
            }
            else
            {
                errors["continue"] = ["The continue token is not one this server issued for these filters; send the 'continue' value of the previous page unchanged, with the same filters, or leave it out to start from the first page."];
            }
        }
        return errors.Count > 0 ? (null, errors) : (new Resolved(filter, limit, from, key), errors);
    }

    private static DateTimeOffset? ParseInstant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }
        errors[field] = [$"'{text}' is not an instant; send ISO 8601, e.g. 2026-12-01T00:00:00Z."];
        return null;
    }

    private static string FilterKey(WorkloadFilter f) => string.Join('\u001f',
        string.Join(',', (f.States ?? []).Select(s => s.ToString()).Order(StringComparer.Ordinal)), f.NodeId?.ToString() ?? "", f.Name ?? "", f.Search ?? "",
        f.CreatedAfter?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "",
        f.CreatedBefore?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "");
}
