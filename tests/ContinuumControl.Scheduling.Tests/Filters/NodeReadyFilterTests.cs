using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Filters;

namespace ContinuumControl.Scheduling.Tests.Filters;

public sealed class NodeReadyFilterTests
{
    [Theory]
    [InlineData(NodeState.Cordoned, "node is Cordoned, not Ready")]
    [InlineData(NodeState.Draining, "node is Draining, not Ready")]
    [InlineData(NodeState.Down, "node is Down, not Ready")]
    public void Reject_NotReady_SaysTheState(NodeState state, string reason)
    {
        var node = new NodeCandidate(Guid.NewGuid(), "n", NodeClass.Edge, state, 1024, 0, 0, new Dictionary<string, string>(), []);
        Assert.Equal(reason, new NodeReadyFilter().Reject(node, new PlacementRequest(0, new WorkloadConstraints(null, new Dictionary<string, string>()), [])));
    }
}
