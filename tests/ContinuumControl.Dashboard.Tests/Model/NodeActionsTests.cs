using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class NodeActionsTests
{
    [Theory]
    [InlineData(NodeAction.Cordon, "Ready", true)]
    [InlineData(NodeAction.Cordon, "Cordoned", false)]
    [InlineData(NodeAction.Cordon, "Draining", false)]
    [InlineData(NodeAction.Drain, "Ready", true)]
    [InlineData(NodeAction.Drain, "Cordoned", true)]
    [InlineData(NodeAction.Drain, "Draining", false)]
    [InlineData(NodeAction.Uncordon, "Ready", false)]
    [InlineData(NodeAction.Uncordon, "Cordoned", true)]
    [InlineData(NodeAction.Uncordon, "Draining", true)]
    [InlineData(NodeAction.Drain, "Down", true)]
    public void Offered_ByState_OnlyHidesNoOps(NodeAction action, string state, bool offered) =>
        Assert.Equal(offered, NodeActions.Offered(action, state));
}
