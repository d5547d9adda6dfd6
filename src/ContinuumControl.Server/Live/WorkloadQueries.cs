using ContinuumControl.Contracts.Api;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Api;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Server.Live;

/// <summary>
/// Filtered, paged reads of the workload table: the REST list (continue tokens, newest first) and the dashboard's
/// workload table (sorted, offset pages with a total). Both load one page, never the whole table.
/// </summary>
public static class WorkloadQueries
{
    /// <summary>States that hold a slot or a queue place on a node: what a node card shows.</summary>
    public static readonly WorkloadState[] Unfinished = [.. Enum.GetValues<WorkloadState>().Where(s => !s.IsFinished)];

    /// <summary>The finished states as a list a query can translate (<see cref="WorkloadStateExtensions"/> defines them).</summary>
    public static readonly WorkloadState[] Finished = [.. Enum.GetValues<WorkloadState>().Where(s => s.IsFinished)];

    public static IQueryable<Workload> Filter(this IQueryable<Workload> query, WorkloadFilter filter)
    {
        if (filter.States is { Count: > 0 } names)
        {
            var states = names.Distinct().ToList();
            query = query.Where(w => states.Contains(w.State));
        }
        if (filter.NodeId is { } nodeId)
        {
            query = query.Where(w => w.NodeId == nodeId);
        }
        if (!string.IsNullOrEmpty(filter.Name))
        {
            query = query.Where(w => w.Name == filter.Name);
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim().ToLowerInvariant();
            // Translated to SQL lower(): EF translates neither StringComparison overloads nor the same ILIKE on both providers.
#pragma warning disable CA1862
            query = query.Where(w => w.Name.ToLower().Contains(term) || w.ModuleHash.StartsWith(term));
#pragma warning restore CA1862
        }
        if (filter.CreatedAfter is { } after)
        {
            query = query.Where(w => w.CreatedAt >= after);
        }
        if (filter.CreatedBefore is { } before)
        {
            query = query.Where(w => w.CreatedAt < before);
        }
        return query;
    }

    /// <summary>One page of the REST list, newest first, from <paramref name="from"/> (null: the first page).</summary>
    public static async Task<(List<WorkloadDto> Items, ContinueToken? Next)> WorkloadPageAsync(
        this ControlPlaneDbContext db, WorkloadFilter filter, int limit, ContinueToken? from, CancellationToken cancellationToken)
    {
        var query = db.Workloads.AsNoTracking().Filter(filter);
        var skip = 0;
        if (from is { } token)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(token.CreatedAtMillis);
            query = query.Where(w => w.CreatedAt <= at);
            skip = token.Skip;
        }
        // One more than asked tells whether another page follows.
        var rows = await query.OrderByDescending(w => w.CreatedAt).ThenBy(w => w.Id).Skip(skip).Take(limit + 1).ToListAsync(cancellationToken);
        ContinueToken? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            var last = rows[^1].CreatedAt;
            var sameInstant = rows.Count(w => w.CreatedAt == last);
            // The page may have started inside the same millisecond the previous one ended in.
            var carried = from is { } t && t.CreatedAtMillis == last.ToUnixTimeMilliseconds() ? t.Skip : 0;
            next = new ContinueToken(last.ToUnixTimeMilliseconds(), carried + sameInstant);
        }
        return (await db.ToDtosAsync(rows, cancellationToken), next);
    }

    /// <summary>One page of the dashboard's table: rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> in the chosen order.</summary>
    public static async Task<WorkloadTablePage> WorkloadTableAsync(
        this ControlPlaneDbContext db, WorkloadFilter filter, WorkloadSort sort, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.Workloads.AsNoTracking().Filter(filter);
        var total = await query.CountAsync(cancellationToken);
        IOrderedQueryable<Workload> ordered = (sort, descending) switch
        {
            (WorkloadSort.Name, false) => query.OrderBy(w => w.Name),
            (WorkloadSort.Name, true) => query.OrderByDescending(w => w.Name),
            (WorkloadSort.State, false) => query.OrderBy(w => w.State),
            (WorkloadSort.State, true) => query.OrderByDescending(w => w.State),
            (WorkloadSort.FinishedAt, false) => query.OrderBy(w => w.FinishedAt),
            (WorkloadSort.FinishedAt, true) => query.OrderByDescending(w => w.FinishedAt),
            (_, false) => query.OrderBy(w => w.CreatedAt),
            _ => query.OrderByDescending(w => w.CreatedAt),
        };
        var rows = await ordered.ThenByDescending(w => w.CreatedAt).ThenBy(w => w.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return new WorkloadTablePage(await db.ToDtosAsync(rows, cancellationToken), total);
    }

    /// <summary>
    /// What the pool page needs: every unfinished workload and the <paramref name="recentFinished"/> most recently
    /// created finished ones (for the unplaced list), so the snapshot stays bounded however long the history grows.
    /// </summary>
    public static async Task<List<WorkloadDto>> PoolWorkloadDtosAsync(this ControlPlaneDbContext db, int recentFinished, CancellationToken cancellationToken)
    {
        var unfinished = await db.Workloads.AsNoTracking().Where(w => Unfinished.Contains(w.State)).ToListAsync(cancellationToken);
        var finished = await db.Workloads.AsNoTracking().Where(w => Finished.Contains(w.State))
            .OrderByDescending(w => w.CreatedAt).Take(recentFinished).ToListAsync(cancellationToken);
        return await db.ToDtosAsync([.. unfinished.Concat(finished).OrderByDescending(w => w.CreatedAt)], cancellationToken);
    }

    private static async Task<List<WorkloadDto>> ToDtosAsync(this ControlPlaneDbContext db, List<Workload> rows, CancellationToken cancellationToken)
    {
        var nodeIds = rows.Where(w => w.NodeId is not null).Select(w => w.NodeId!.Value).Distinct().ToList();
        var names = nodeIds.Count == 0
            ? []
            : await db.Nodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
        return rows.Select(w => w.ToDto(w.NodeId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }
}
