using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;

namespace ContinuumControl.Scheduling.Tests;

public sealed class FirstPlacementTests
{
    private const long MiB = 1024 * 1024;
    private static readonly IReadOnlyList<string> Wasi = ["wasi_snapshot_preview1"];

    private static NodeCandidate Node(string name, NodeClass nodeClass = NodeClass.Edge, NodeState state = NodeState.Ready, long memoryMiB = 1024,
        long allocatedMiB = 0, int workloads = 0, Dictionary<string, string>? labels = null, IReadOnlyList<string>? capabilities = null) =>
        new(Guid.NewGuid(), name, nodeClass, state, memoryMiB * MiB, allocatedMiB * MiB, workloads, labels ?? new(), capabilities ?? ["wasi_snapshot_preview1", "continuum"]);

    private static PlacementRequest Needs(long memoryMiB = 64, NodeClass? nodeClass = null, Dictionary<string, string>? labels = null, IReadOnlyList<string>? capabilities = null) =>
        new(memoryMiB * MiB, new WorkloadConstraints(nodeClass, labels ?? new()), capabilities ?? Wasi);

    [Fact]
    public void Choose_NoNodes_ExplainsThatNoneRegistered()
    {
        var decision = new FirstPlacement().Choose([], Needs());
        Assert.Null(decision.Node);
        Assert.Contains("no nodes have registered", decision.Explain());
    }

    [Fact]
    public void Choose_PrefersLeastAllocatedMemory()
    {
        var busy = Node("busy", allocatedMiB: 512);
        var idle = Node("idle", allocatedMiB: 64);
        Assert.Equal("idle", new FirstPlacement().Choose([busy, idle], Needs()).Node?.Name);
    }

    [Fact]
    public void Choose_EqualLoad_BreaksTieByWorkloadCountThenName()
    {
        Assert.Equal("b", new FirstPlacement().Choose([Node("a", workloads: 1), Node("b")], Needs()).Node?.Name);
        Assert.Equal("a", new FirstPlacement().Choose([Node("b"), Node("a")], Needs()).Node?.Name);
    }

    [Theory]
    [InlineData(NodeState.Down)]
    [InlineData(NodeState.Draining)]
    public void NodeReady_RejectsNodesNotReady(NodeState state)
    {
        var decision = new FirstPlacement().Choose([Node("n", state: state)], Needs());
        var rejection = Assert.Single(decision.Rejections);
        Assert.Equal("NodeReady", rejection.Filter);
        Assert.Equal($"node is {state}, not Ready", rejection.Reason);
    }

    [Fact]
    public void ResourceFit_RejectsWhenMemoryIsPromisedElsewhere()
    {
        var decision = new FirstPlacement().Choose([Node("n", memoryMiB: 256, allocatedMiB: 200)], Needs(64));
        var rejection = Assert.Single(decision.Rejections);
        Assert.Equal("ResourceFit", rejection.Filter);
        Assert.Equal("not enough memory: needs 64 MiB, 56 MiB free of 256 MiB", rejection.Reason);
    }

    [Fact]
    public void ResourceFit_AcceptsExactFit()
    {
        Assert.NotNull(new FirstPlacement().Choose([Node("n", memoryMiB: 128, allocatedMiB: 64)], Needs(64)).Node);
    }

    [Fact]
    public void Class_RejectsOtherClass()
    {
        var decision = new FirstPlacement().Choose([Node("edge", NodeClass.Edge), Node("cloud", NodeClass.Cloud)], Needs(nodeClass: NodeClass.Cloud));
        Assert.Equal("cloud", decision.Node?.Name);
        Assert.Equal("node class is Edge, the workload requires Cloud", Assert.Single(decision.Rejections).Reason);
    }

    [Fact]
    public void Labels_RejectsMissingOrDifferentValues()
    {
        var decision = new FirstPlacement().Choose(
            [Node("none"), Node("wrong", labels: new() { ["zone"] = "b" }), Node("right", labels: new() { ["zone"] = "a", ["x"] = "y" })],
            Needs(labels: new() { ["zone"] = "a" }));
        Assert.Equal("right", decision.Node?.Name);
        Assert.All(decision.Rejections, r => Assert.Equal("missing label zone=a", r.Reason));
        Assert.Equal(2, decision.Rejections.Count);
    }

    [Fact]
    public void HostCapabilities_RejectsNodeWithoutTheImportModule()
    {
        var decision = new FirstPlacement().Choose([Node("bare", capabilities: ["wasi_snapshot_preview1"])], Needs(capabilities: ["wasi_snapshot_preview1", "continuum"]));
        Assert.Equal("does not offer host capability continuum", Assert.Single(decision.Rejections).Reason);
    }

    [Fact]
    public void Explain_ListsEveryNodeWithItsReason()
    {
        var decision = new FirstPlacement().Choose([Node("a", state: NodeState.Down), Node("b", memoryMiB: 16)], Needs(64));
        Assert.Equal("a: node is Down, not Ready; b: not enough memory: needs 64 MiB, 16 MiB free of 16 MiB", decision.Explain());
    }
}
