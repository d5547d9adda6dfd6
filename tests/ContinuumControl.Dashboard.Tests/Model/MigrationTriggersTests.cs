using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class MigrationTriggersTests
{
    [Fact]
    public void IsPolicyDriven_DrainAndPolicies_NotPeople()
    {
        Assert.All(MigrationTriggers.PolicyDriven, t => Assert.True(MigrationTriggers.IsPolicyDriven(t)));
        Assert.False(MigrationTriggers.IsPolicyDriven(MigrationTriggers.Operator));
        Assert.False(MigrationTriggers.IsPolicyDriven(MigrationTriggers.Api));
    }
}
