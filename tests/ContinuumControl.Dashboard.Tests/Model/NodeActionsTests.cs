using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class NodeActionsTests
{
    [Theory]
    [InlineData(NodeAction.Cordon, NodeState.Ready, true)]
    [InlineData(NodeAction.Cordon, NodeState.Cordoned, false)]
    [InlineData(NodeAction.Cordon, NodeState.Draining, false)]
    [InlineData(NodeAction.Drain, NodeState.Ready, true)]
    [InlineData(NodeAction.Drain, NodeState.Cordoned, true)]
    [InlineData(NodeAction.Drain, NodeState.Draining, false)]
    [InlineData(NodeAction.Uncordon, NodeState.Ready, false)]
    [InlineData(NodeAction.Uncordon, NodeState.Cordoned, true)]
    [InlineData(NodeAction.Uncordon, NodeState.Draining, true)]
    [InlineData(NodeAction.Drain, NodeState.Down, true)]
    public void Offered_ByState_OnlyHidesNoOps(NodeAction action, NodeState state, bool offered) =>
        Assert.Equal(offered, NodeActions.Offered(action, state));
}
