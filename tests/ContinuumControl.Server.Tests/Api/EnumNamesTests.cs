using ContinuumControl.Server.Api;

namespace ContinuumControl.Server.Tests.Api;

/// <summary>Every entry point reads an enum from text through EnumNames: a name in any case, nothing else.</summary>
public class EnumNamesTests
{
    [Theory]
    [InlineData("Cloud", NodeClass.Cloud)]
    [InlineData("edge", NodeClass.Edge)]
    [InlineData(" CLOUD ", NodeClass.Cloud)]
    public void TryParse_AName_InAnyCase_IsRead(string text, NodeClass expected)
    {
        Assert.True(EnumNames.TryParse<NodeClass>(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("Edge, Cloud")]
    [InlineData("Fog")]
    public void TryParse_NumbersCombinationsAndUnknownNames_AreRefused(string? text) =>
        Assert.False(EnumNames.TryParse<NodeClass>(text, out _));

    [Fact]
    public void List_NamesEveryValue() => Assert.Equal("Low, Normal, High", EnumNames.List<WorkloadPriority>());
}
