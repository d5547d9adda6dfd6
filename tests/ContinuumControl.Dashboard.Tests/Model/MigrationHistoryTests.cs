using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class MigrationHistoryTests
{
    private readonly NodeDto _edge = TestData.Node("edge-1");
    private readonly NodeDto _cloud = TestData.Node("cloud-1", NodeClass.Cloud);

    [Fact]
    public void Upsert_OlderStateOfSameMigration_IsIgnored()
    {
        var workload = TestData.Workload("w", _edge);
        var done = TestData.Migration(workload, _cloud, MigrationPhase.Completed, downtimeMs: 10);
        var history = new MigrationHistory();
        history.Upsert(done);

        var kept = history.Upsert(TestData.Migration(workload, _cloud, MigrationPhase.Transferring) with { Id = done.Id });

        Assert.False(kept);
        Assert.Equal(MigrationPhase.Completed, history.Latest(workload.Id)?.Phase);
    }

    [Fact]
    public void Upsert_MoreBytesInSamePhase_Replaces()
    {
        var workload = TestData.Workload("w", _edge);
        var early = TestData.Migration(workload, _cloud, MigrationPhase.Transferring, bytesMoved: 100);
        var history = new MigrationHistory();
        history.Upsert(early);

        Assert.True(history.Upsert(early with { BytesMoved = 200 }));
        Assert.Equal(200, history.Latest(workload.Id)?.BytesMoved);
    }

    [Fact]
    public void Latest_PerWorkload_NewestFirst()
    {
        var workload = TestData.Workload("w", _edge);
        var old = TestData.Migration(workload, _cloud, MigrationPhase.Aborted, requestedAt: TestData.Now.AddMinutes(-1));
        var current = TestData.Migration(workload, _cloud, MigrationPhase.Preparing);
        var history = new MigrationHistory();

        history.Load([old, current, TestData.Migration(TestData.Workload("x", _edge), _cloud, MigrationPhase.Restoring)]);

        Assert.Equal(current.Id, history.Latest(workload.Id)?.Id);
        Assert.Equal([current.Id, old.Id], history.Of(workload.Id).Select(m => m.Id));
    }

    [Fact]
    public void ClusterState_SnapshotWithoutMigrations_LoadsNone()
    {
        var state = new ClusterState();

        state.Load(new DashboardSnapshot([_edge], [], [], Migrations: null));

        Assert.Equal(0, state.Migrations.Count);
    }
}
