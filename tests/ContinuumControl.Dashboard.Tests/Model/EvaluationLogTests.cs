using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;
using ContinuumControl.Dashboard.Tests.Fakes;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class EvaluationLogTests
{
    private static PlanDto Plan(params PlanOutcome[] outcomes) =>
        new([.. outcomes.Select(o => new PlanItemDto(Guid.NewGuid(), "w", null, Guid.NewGuid(), "edge-1", 0.5, "fits", o, null))], [], 1);

    [Fact]
    public void Upsert_LaterStatus_ReplacesEarlier()
    {
        var log = new EvaluationLog();
        var pending = TestData.Evaluation(status: EvaluationStatus.Pending);

        log.Upsert(pending);
        Assert.True(log.Upsert(pending with { Status = EvaluationStatus.Planned, Plan = Plan(PlanOutcome.Planned) }));

        Assert.Equal(EvaluationStatus.Planned, Assert.Single(log.Newest).Status);
        Assert.Empty(log.Pending);
        Assert.Single(log.Recent);
    }

    [Fact]
    public void Upsert_ReplayedEarlierState_IsIgnored()
    {
        var log = new EvaluationLog();
        var pending = TestData.Evaluation(status: EvaluationStatus.Pending);
        var planned = pending with { Status = EvaluationStatus.Planned, Plan = Plan(PlanOutcome.Planned, PlanOutcome.Planned) };
        var applied = pending with { Status = EvaluationStatus.Applied, Plan = Plan(PlanOutcome.Committed, PlanOutcome.Rejected) };
        log.Upsert(applied);

        Assert.False(log.Upsert(pending));
        Assert.False(log.Upsert(planned));

        Assert.Equal(EvaluationStatus.Applied, Assert.Single(log.Newest).Status);
    }

    [Fact]
    public void Upsert_ItemsCommittedLater_ReplacesSameStatus()
    {
        var log = new EvaluationLog();
        var evaluation = TestData.Evaluation(status: EvaluationStatus.Applied, plan: Plan(PlanOutcome.Committed, PlanOutcome.Planned));
        log.Upsert(evaluation);

        Assert.True(log.Upsert(evaluation with { Plan = Plan(PlanOutcome.Committed, PlanOutcome.Committed) }));
        Assert.False(log.Upsert(evaluation));
    }

    [Fact]
    public void Newest_OrdersByCreationNewestFirst()
    {
        var log = new EvaluationLog();
        var old = TestData.Evaluation(createdAt: TestData.Now.AddMinutes(-5));
        var fresh = TestData.Evaluation(createdAt: TestData.Now);

        log.Load([old, fresh]);

        Assert.Equal([fresh.Id, old.Id], log.Newest.Select(e => e.Id));
    }

    [Fact]
    public void Upsert_PastCapacity_DropsOldestFinishedFirst()
    {
        var log = new EvaluationLog();
        var oldPending = TestData.Evaluation(status: EvaluationStatus.Pending, createdAt: TestData.Now.AddHours(-1));
        log.Upsert(oldPending);
        var finished = Enumerable.Range(0, EvaluationLog.MaxHeld)
            .Select(i => TestData.Evaluation(createdAt: TestData.Now.AddSeconds(i)))
            .ToList();

        foreach (var evaluation in finished)
        {
            log.Upsert(evaluation);
        }

        Assert.Equal(EvaluationLog.MaxHeld, log.Count);
        Assert.Contains(log.Newest, e => e.Id == oldPending.Id);
        Assert.DoesNotContain(log.Newest, e => e.Id == finished[0].Id);
    }
}
