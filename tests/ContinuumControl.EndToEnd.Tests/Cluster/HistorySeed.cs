using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.EndToEnd.Tests.Cluster;

/// <summary>
/// Writes finished workloads straight into a running cluster's SQLite database: a long history in a second instead of
/// hundreds of real runs. The server reads them like any other row; nothing is cached that they would miss.
/// </summary>
public static class HistorySeed
{
    public static async Task<List<Workload>> FinishedAsync(LocalCluster cluster, string namePrefix, IReadOnlyList<Guid> nodeIds, int count, DateTimeOffset start, int failedEvery = 0)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>()
            .UseSqlite($"Data Source={Path.Combine(cluster.DataDirectory, "continuum.db")};Default Timeout=30").Options;
        await using var db = new ControlPlaneDbContext(options);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var failed = failedEvery > 0 && i % failedEvery == 0;
            var created = start.AddSeconds(i);
            return new Workload
            {
                Id = Guid.NewGuid(),
                Name = $"{namePrefix}{i:D3}",
                ModuleHash = new string('a', 64),
                MemoryLimitBytes = 16 << 20,
                State = failed ? WorkloadState.Failed : WorkloadState.Completed,
                NodeId = nodeIds[i % nodeIds.Count],
                Generation = 1,
                CreatedAt = created,
                StartedAt = created,
                FinishedAt = created.AddSeconds(30),
                ExitCode = failed ? 1 : 0,
                FailureReason = failed ? "exit code 1" : null,
            };
        }).ToList();
        db.Workloads.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    }
}
