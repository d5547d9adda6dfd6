using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ContinuumControl.Bench.Dashboard;

/// <summary>
/// A large pool written straight into the server's SQLite database (seeded, so every run sees the same pool): nodes
/// half Edge, half Cloud, each with a few running, queued and suspended workloads, and a long finished history.
/// </summary>
internal static class PoolSeed
{
    public static async Task<(int Nodes, int Unfinished, int Finished)> WriteAsync(string databaseFile, int nodes, int workloads, double finishedShare, int seed)
    {
        var random = new Random(seed);
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>().UseSqlite($"Data Source={databaseFile};Default Timeout=30").Options;
        await using var db = new ControlPlaneDbContext(options);
        var now = DateTimeOffset.UtcNow;
        var nodeRows = Enumerable.Range(0, nodes).Select(i => new Node
        {
            Id = Guid.NewGuid(),
            Name = $"{(i % 2 == 0 ? "edge" : "cloud")}-{i:D2}",
            Class = i % 2 == 0 ? NodeClass.Edge : NodeClass.Cloud,
            Architecture = i % 4 == 0 ? "arm64" : "x86_64",
            Cores = 4,
            MemoryBytes = 16L << 30,
            State = NodeState.Ready,
            RegisteredAt = now.AddDays(-1),
            LastHeartbeatAt = now,
            CpuPercent = random.Next(5, 95),
            MemoryUsedBytes = random.NextInt64(1L << 30, 8L << 30),
            Labels = new Dictionary<string, string> { ["zone"] = $"z{i % 5}" },
        }).ToList();
        db.Nodes.AddRange(nodeRows);
        var finished = (int)Math.Round(workloads * finishedShare);
        WorkloadState[] unfinishedStates = [WorkloadState.Running, WorkloadState.Running, WorkloadState.Running, WorkloadState.Queued, WorkloadState.Suspended];
        WorkloadState[] finishedStates = [WorkloadState.Completed, WorkloadState.Completed, WorkloadState.Completed, WorkloadState.Failed, WorkloadState.Stopped];
        for (var i = 0; i < workloads; i++)
        {
            var done = i < finished;
            var state = done ? finishedStates[random.Next(finishedStates.Length)] : unfinishedStates[random.Next(unfinishedStates.Length)];
            var created = now.AddSeconds(-(workloads - i) * 30);
            db.Workloads.Add(new Workload
            {
                Id = Guid.NewGuid(),
                Name = $"job-{i:D4}",
                ModuleHash = new string('a', 64),
                MemoryLimitBytes = 64L << 20,
                State = state,
                NodeId = nodeRows[random.Next(nodeRows.Count)].Id,
                Generation = 1,
                CreatedAt = created,
                StartedAt = created,
                FinishedAt = done ? created.AddSeconds(20) : null,
                ExitCode = done ? (state == WorkloadState.Failed ? 1 : 0) : null,
            });
        }
        await db.SaveChangesAsync();
        return (nodes, workloads - finished, finished);
    }
}
