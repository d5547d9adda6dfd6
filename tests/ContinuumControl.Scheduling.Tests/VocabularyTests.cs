namespace ContinuumControl.Scheduling.Tests;

/// <summary>The domain's one definition of each derived word (finished, policy-driven) that every layer reads.</summary>
public sealed class VocabularyTests
{
    [Fact]
    public void WorkloadState_IsFinished_OnlyCompletedFailedAndStopped()
    {
        Assert.Equal(
            [WorkloadState.Completed, WorkloadState.Failed, WorkloadState.Stopped],
            Enum.GetValues<WorkloadState>().Where(s => s.IsFinished));
    }

    [Fact]
    public void MigrationPhase_IsFinished_OnlyTheFourEndings()
    {
        Assert.Equal(
            [MigrationPhase.Completed, MigrationPhase.Aborted, MigrationPhase.Failed, MigrationPhase.Superseded],
            Enum.GetValues<MigrationPhase>().Where(p => p.IsFinished));
    }

    [Fact]
    public void MigrationTrigger_IsPolicyDriven_DrainAndPolicies_NotPeople()
    {
        Assert.All(MigrationTriggerExtensions.PolicyDriven, t => Assert.True(t.IsPolicyDriven));
        Assert.False(MigrationTrigger.Operator.IsPolicyDriven);
        Assert.False(MigrationTrigger.Api.IsPolicyDriven);
        Assert.Equal(Enum.GetValues<MigrationTrigger>().Where(t => t.IsPolicyDriven), MigrationTriggerExtensions.PolicyDriven.Order());
    }
}
