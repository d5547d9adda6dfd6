using ContinuumControl.Domain.Nodes;
using ContinuumControl.Domain.Workloads;
using ContinuumControl.Scheduling.Filters;

namespace ContinuumControl.Scheduling.Tests.Filters;

public sealed class HostCapabilitiesFilterTests
{
    private readonly HostCapabilitiesFilter _filter = new();

    private static NodeCandidate Node(params string[] capabilities) =>
        new(Guid.NewGuid(), "edge-1", NodeClass.Edge, NodeState.Ready, 1024, 0, 0, new Dictionary<string, string>(), capabilities);

    private static PlacementRequest Needs(params string[] capabilities) => new(0, WorkloadConstraints.None, capabilities);

    [Fact]
    public void Reject_NodeOffersTheImportsAndTheVolume_Passes() =>
        Assert.Null(_filter.Reject(Node("wasi_snapshot_preview1", "volume:data"), Needs("wasi_snapshot_preview1", NodeVolumes.Capability("data"))));

    [Fact]
    public void Reject_MissingVolume_NamesItAndWhereToConfigureIt() =>
        Assert.Equal("has no volume 'data' (Agent:Volumes on its agent)", _filter.Reject(Node("wasi_snapshot_preview1", "volume:logs"), Needs("wasi_snapshot_preview1", "volume:data")));

    [Fact]
    public void Reject_MissingImportAndVolume_SaysBoth() =>
        Assert.Equal("does not offer host capability continuum; has no volume 'data' (Agent:Volumes on its agent)", _filter.Reject(Node(), Needs("continuum", "volume:data")));

    [Theory]
    [InlineData("data", true)]
    [InlineData("shared.scratch-1_a", true)]
    [InlineData("Data", false)]
    [InlineData("-data", false)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    public void IsValidName_AcceptsOnlyDnsLikeNames(string name, bool valid) => Assert.Equal(valid, NodeVolumes.IsValidName(name));

    [Theory]
    [InlineData("/data", true)]
    [InlineData("/data/in", true)]
    [InlineData("/", false)]
    [InlineData("data", false)]
    [InlineData("/data/../etc", false)]
    [InlineData("/data//x", false)]
    [InlineData("/data/", false)]
    public void IsValidGuestPath_AcceptsOnlyPlainAbsolutePaths(string path, bool valid) => Assert.Equal(valid, NodeVolumes.IsValidGuestPath(path));
}
