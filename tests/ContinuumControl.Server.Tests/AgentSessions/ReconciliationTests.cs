using ContinuumControl.Contracts.Agents;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Server.AgentSessions;
using ContinuumControl.Server.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuumControl.Server.Tests.AgentSessions;

/// <summary>What a registering agent is told about each workload it reports, decided on the control plane's real database.</summary>
public abstract class ReconciliationTests<TFactory>(TFactory factory) where TFactory : ControlPlaneFactory
{
    private Reconciliation Reconciliation => factory.Services.GetRequiredService<Reconciliation>();

    [Fact]
    public async Task OnlyTheCurrentCopyRunsOn_EveryOtherReportedCopyIsDiscarded()
    {
        var now = DateTimeOffset.UtcNow;
        var node = await WorkloadSeed.NodeAsync(factory, $"rec-{Guid.NewGuid():N}"[..20], now);
        var other = await WorkloadSeed.NodeAsync(factory, $"oth-{Guid.NewGuid():N}"[..20], now);
        var mine = await WorkloadSeed.WorkloadsAsync(factory, "mine", now, node.Id, WorkloadState.Running, WorkloadState.Running, WorkloadState.Completed);
        var (current, newerGeneration, finished) = (mine[0], mine[1], mine[2]);
        await BumpGenerationAsync(newerGeneration.Id);
        var elsewhere = (await WorkloadSeed.WorkloadsAsync(factory, "elsewhere", now, other.Id, WorkloadState.Running))[0];
        var unknown = Guid.NewGuid();

        var (outcome, saved) = await ReconcileAsync(node, [
            new RunningWorkload(current.Id, 1), new RunningWorkload(newerGeneration.Id, 1), new RunningWorkload(finished.Id, 1),
            new RunningWorkload(elsewhere.Id, 1), new RunningWorkload(unknown, 1)]);

        Assert.Equal(new[] { newerGeneration.Id, finished.Id, elsewhere.Id, unknown }.Order(), outcome.Discard.Order());
        // The newer generation is not the agent's to run, but its own copy is missing there: a lost run, recovered.
        Assert.Equal(1, outcome.Lost);
        Assert.Empty(outcome.Resend);
        Assert.Empty(outcome.Resume);
        Assert.Equal((WorkloadState.Running, (Guid?)node.Id), saved[current.Id]);
        Assert.Equal((WorkloadState.Pending, (Guid?)null), saved[newerGeneration.Id]);
        Assert.Equal((WorkloadState.Running, (Guid?)other.Id), saved[elsewhere.Id]);
    }

    [Fact]
    public async Task PendingWorkIsResent_LostRunsAreRecovered_PausedCurrentCopiesResume()
    {
        var now = DateTimeOffset.UtcNow;
        var node = await WorkloadSeed.NodeAsync(factory, $"rec-{Guid.NewGuid():N}"[..20], now);
        var rows = await WorkloadSeed.WorkloadsAsync(factory, "work", now, node.Id, WorkloadState.Pending, WorkloadState.Running, WorkloadState.Running);
        var (pending, lost, paused) = (rows[0], rows[1], rows[2]);
        var stalePaused = Guid.NewGuid();

        var (outcome, saved) = await ReconcileAsync(node, [new RunningWorkload(paused.Id, 1, Paused: true), new RunningWorkload(stalePaused, 1, Paused: true)]);

        Assert.Equal([pending.Id], outcome.Resend.Select(w => w.Id));
        Assert.Equal([paused.Id], outcome.Resume);
        Assert.Equal([stalePaused], outcome.Discard);
        Assert.Equal(1, outcome.Lost);
        // Unbound and Pending again: the restart sweeper places it anew. The pending one stays where it was placed.
        Assert.Equal((WorkloadState.Pending, (Guid?)null), saved[lost.Id]);
        Assert.Equal((WorkloadState.Pending, (Guid?)node.Id), saved[pending.Id]);
        Assert.Equal((WorkloadState.Running, (Guid?)node.Id), saved[paused.Id]);
    }

    [Fact]
    public async Task ALostRunWithRestartNever_Fails()
    {
        var now = DateTimeOffset.UtcNow;
        var node = await WorkloadSeed.NodeAsync(factory, $"rec-{Guid.NewGuid():N}"[..20], now);
        var never = (await WorkloadSeed.WorkloadsAsync(factory, "never", now, node.Id, WorkloadState.Running))[0];
        await using (var db = await WorkloadSeed.Db(factory))
        {
            await db.Workloads.Where(w => w.Id == never.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.RestartPolicy, RestartPolicy.Never));
        }

        var (outcome, saved) = await ReconcileAsync(node, []);

        Assert.Equal(0, outcome.Lost);
        Assert.Equal((WorkloadState.Failed, (Guid?)node.Id), saved[never.Id]);
    }

    /// <summary>Reconciles and saves, as a registration does; with each row's state and node as saved (the restart sweeper may place a recovered one again right after).</summary>
    private async Task<(ReconcileOutcome Outcome, Dictionary<Guid, (WorkloadState, Guid?)> Saved)> ReconcileAsync(Domain.Nodes.Node node, IReadOnlyList<RunningWorkload> running)
    {
        await using var db = await WorkloadSeed.Db(factory);
        var outcome = await Reconciliation.ReconcileAsync(db, node.Id, node.Name, running, DateTimeOffset.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        return (outcome, db.Workloads.Local.ToDictionary(w => w.Id, w => (w.State, w.NodeId)));
    }

    private async Task BumpGenerationAsync(Guid workloadId)
    {
        await using var db = await WorkloadSeed.Db(factory);
        await db.Workloads.Where(w => w.Id == workloadId).ExecuteUpdateAsync(s => s.SetProperty(w => w.Generation, 2L));
    }
}

public sealed class SqliteReconciliationTests(SqliteControlPlaneFactory factory) : ReconciliationTests<SqliteControlPlaneFactory>(factory), IClassFixture<SqliteControlPlaneFactory>;

public sealed class PostgresReconciliationTests(PostgresControlPlaneFactory factory) : ReconciliationTests<PostgresControlPlaneFactory>(factory), IClassFixture<PostgresControlPlaneFactory>;
