using ContinuumControl.Domain.Workloads;
using ContinuumControl.Persistence;
using ContinuumControl.Server.Configuration;
using ContinuumControl.Server.Jobs;
using ContinuumControl.Server.Live;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContinuumControl.Server.Tests.Jobs;

public abstract class RetentionJobTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private RetentionJob Job(FakeTimeProvider time, int hours = 168, int max = 10_000) => new(
        factory.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>(), factory.Services.GetRequiredService<ClusterEvents>(),
        Microsoft.Extensions.Options.Options.Create(new RetentionOptions { FinishedWorkloadHours = hours, MaxFinishedWorkloads = max }), time, NullLogger<RetentionJob>.Instance);

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    private async Task<(HashSet<Guid> Workloads, int Output, int Migrations)> RemainingAsync(IEnumerable<Workload> seeded)
    {
        var ids = seeded.Select(w => w.Id).ToList();
        await using var db = await WorkloadSeed.Db(factory);
        return ([.. await db.Workloads.Where(w => ids.Contains(w.Id)).Select(w => w.Id).ToListAsync()],
            await db.OutputChunks.CountAsync(c => ids.Contains(c.WorkloadId)),
            await db.Migrations.CountAsync(m => ids.Contains(m.WorkloadId)));
    }

    [Fact]
    public async Task Run_FinishedLongerAgoThanRetention_RemovesThemWithOutputAndMigrations()
    {
        var prefix = Unique("age");
        var node = await WorkloadSeed.NodeAsync(factory, prefix, Start);
        var old = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-old", Start, node.Id, WorkloadState.Completed, WorkloadState.Failed, WorkloadState.Stopped);
        var oldButRunning = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-run", Start, node.Id, WorkloadState.Running, WorkloadState.Suspended);
        var recent = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-new", Start.AddDays(6), node.Id, WorkloadState.Completed, WorkloadState.Failed);
        var time = new FakeTimeProvider(Start.AddDays(7).AddHours(1));

        var removedBefore = await Job(time).RunAsync();
        var kept = await RemainingAsync([.. old, .. oldButRunning, .. recent]);
        time.Advance(TimeSpan.FromDays(6));
        await Job(time).RunAsync();
        var later = await RemainingAsync([.. oldButRunning, .. recent]);

        Assert.True(removedBefore >= old.Count);
        Assert.Equal(oldButRunning.Concat(recent).Select(w => w.Id).Order(), kept.Workloads.Order());
        Assert.Equal(4, kept.Output);
        Assert.Equal(4, kept.Migrations);
        Assert.Equal(oldButRunning.Select(w => w.Id).Order(), later.Workloads.Order());
        Assert.Equal(2, later.Output);
    }

    [Fact]
    public async Task Run_MoreFinishedThanKept_RemovesTheOldestFinishedBeyondTheCount()
    {
        var prefix = Unique("count");
        var finished = await WorkloadSeed.WorkloadsAsync(factory, prefix, Start.AddYears(1), null, [.. Enumerable.Repeat(WorkloadState.Completed, 8)]);
        var queued = await WorkloadSeed.WorkloadsAsync(factory, prefix + "-q", Start, null, WorkloadState.Queued);
        var time = new FakeTimeProvider(Start.AddYears(1).AddHours(1));

        await Job(time, max: 5).RunAsync();
        var left = await RemainingAsync([.. finished, .. queued]);
        await using var db = await WorkloadSeed.Db(factory);
        var finishedInDatabase = await db.Workloads.CountAsync(w => w.State == WorkloadState.Completed || w.State == WorkloadState.Failed || w.State == WorkloadState.Stopped);

        Assert.Equal(finished.Skip(3).Select(w => w.Id).Append(queued[0].Id).Order(), left.Workloads.Order());
        Assert.Equal(5, finishedInDatabase);
        Assert.Equal(6, left.Output);
    }
}

public sealed class SqliteRetentionJobTests(SqliteControlPlaneFactory factory) : RetentionJobTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresRetentionJobTests(PostgresControlPlaneFactory factory) : RetentionJobTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;

public sealed class RetentionSettingsTests
{
    private sealed class BadRetentionFactory : SqliteControlPlaneFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Retention:MaxFinishedWorkloads", "0");
            builder.UseSetting("Retention:FinishedWorkloadHours", "-3");
            builder.UseSetting("Retention:Schedule", "often");
        }
    }

    [Fact]
    public async Task Start_BadRetentionSettings_RefusesNamingEveryKey()
    {
        await using var factory = new BadRetentionFactory();

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var text = error.ToString();
        Assert.Contains("Retention:MaxFinishedWorkloads", text, StringComparison.Ordinal);
        Assert.Contains("Retention:FinishedWorkloadHours", text, StringComparison.Ordinal);
        Assert.Contains("Retention:Schedule", text, StringComparison.Ordinal);
    }
}
