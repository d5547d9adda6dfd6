using ContinuumControl.Domain.Migrations;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling.Tests;

/// <summary>Restart policies and attempts on the workload state machine (Domain), and the Superseded migration outcome.</summary>
public sealed class WorkloadRestartTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static Workload Running(RestartPolicy policy, int maxRestarts = 2, int backoffSeconds = 1)
    {
        var w = new Workload { Id = Guid.NewGuid(), Name = "w", ModuleHash = new string('a', 64), RestartPolicy = policy, MaxRestarts = maxRestarts, RestartBackoffSeconds = backoffSeconds };
        w.Place(Guid.NewGuid(), Now, fromCheckpoint: false);
        w.ApplyReport(1, WorkloadState.Running, null, null, Now);
        return w;
    }

    [Fact]
    public void ApplyReport_FailedUnderOnFailure_WaitsDoublingBackoffUnbound_ThenFailsAtLimit()
    {
        var w = Running(RestartPolicy.OnFailure);

        Assert.True(w.ApplyReport(1, WorkloadState.Failed, null, "trap: unreachable", Now));
        Assert.Equal((WorkloadState.Pending, (Guid?)null, Now.AddSeconds(1), 1), (w.State, w.NodeId, w.RestartAt, w.FailureRestarts));
        Assert.False(w.AwaitsPlacement(Now.AddSeconds(0.5)));
        Assert.True(w.AwaitsPlacement(Now.AddSeconds(1)));
        Assert.Equal("failed: trap: unreachable; restart 1 of 2 after 1 s", w.Attempts[0].EndReason);

        w.Place(Guid.NewGuid(), Now.AddSeconds(1), fromCheckpoint: false);
        w.ApplyReport(2, WorkloadState.Failed, 3, "exited with code 3", Now.AddSeconds(2));
        Assert.Equal(Now.AddSeconds(4), w.RestartAt);
        Assert.Equal("failed: exited with code 3 (exit code 3); restart 2 of 2 after 2 s", w.Attempts[1].EndReason);

        w.Place(Guid.NewGuid(), Now.AddSeconds(4), fromCheckpoint: false);
        w.ApplyReport(3, WorkloadState.Failed, null, "trap: unreachable", Now.AddSeconds(5));
        Assert.Equal(WorkloadState.Failed, w.State);
        Assert.Equal("trap: unreachable (after 2 restarts, the limit)", w.FailureReason);
        Assert.Equal(3, w.Attempts.Count);
        Assert.All(w.Attempts, a => Assert.NotNull(a.EndedAt));
    }

    [Theory]
    [InlineData(RestartPolicy.Never)]
    [InlineData(RestartPolicy.OnNodeLoss)]
    public void ApplyReport_FailedWithoutOnFailure_IsFinal(RestartPolicy policy)
    {
        var w = Running(policy);

        w.ApplyReport(1, WorkloadState.Failed, null, "trap: unreachable", Now);

        Assert.Equal((WorkloadState.Failed, "trap: unreachable", 0), (w.State, w.FailureReason, w.FailureRestarts));
        Assert.Equal("failed: trap: unreachable", w.Attempts.Single().EndReason);
    }

    [Fact]
    public void LoseRun_OnNodeLoss_UnbindsForRecovery_KeepsCheckpoint()
    {
        var w = Running(RestartPolicy.OnNodeLoss);
        w.CheckpointManifestJson = "{}";

        Assert.True(w.LoseRun("its agent on edge-1 restarted without it (killed, crashed or rebooted)", Now));

        Assert.Equal((WorkloadState.Pending, (Guid?)null, "{}"), (w.State, w.NodeId, w.CheckpointManifestJson));
        Assert.True(w.AwaitsPlacement(Now));
        Assert.Equal("its agent on edge-1 restarted without it (killed, crashed or rebooted)", w.Attempts[0].EndReason);
        w.Place(Guid.NewGuid(), Now, fromCheckpoint: true);
        Assert.Equal((2, 2L, true), (w.Attempts.Count, w.Generation, w.Attempts[1].FromCheckpoint));
    }

    [Fact]
    public void LoseRun_Never_FailsWithReason()
    {
        var w = Running(RestartPolicy.Never);

        Assert.False(w.LoseRun("its node edge-1 is Down (no heartbeat past its TTL)", Now));

        Assert.Equal(WorkloadState.Failed, w.State);
        Assert.Equal("its node edge-1 is Down (no heartbeat past its TTL); restart policy Never, so it is not run again", w.FailureReason);
    }

    [Fact]
    public void Backoff_Doubles_CappedAtFiveMinutes()
    {
        var w = Running(RestartPolicy.OnFailure, backoffSeconds: 10);
        Assert.Equal([10.0, 20.0, 40.0, 300.0], new[] { 1, 2, 3, 10 }.Select(n => w.Backoff(n).TotalSeconds));
    }

    [Fact]
    public void Finish_Superseded_IsFinished()
    {
        var m = new Migration { Id = Guid.NewGuid(), Phase = MigrationPhase.Preparing };

        Assert.True(m.Finish(MigrationPhase.Superseded, "the workload finished before it could move (Completed); nothing was moved", Now));

        Assert.True(m.IsFinished);
        Assert.False(m.Finish(MigrationPhase.Aborted, "late", Now));
    }
}
