using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class DeployInputTests
{
    [Fact]
    public void TryCreateRequest_AllFieldsFilled_ParsesEach()
    {
        var input = new DeployInput
        {
            ModuleHash = " abc ",
            Name = "primes",
            Args = "--limit 10 \"a b\"",
            Env = "A=1\n\nB = two words\n",
            MemoryLimitMiB = 128,
            Class = NodeClass.Edge,
            Labels = "zone=a,gpu=no rack=3",
        };

        Assert.True(input.TryCreateRequest(out var request, out var errors));

        Assert.Empty(errors);
        Assert.Equal("abc", request.ModuleHash);
        Assert.Equal(["--limit", "10", "a b"], request.Args);
        Assert.Equal("two words", request.Env!["B"]);
        Assert.Equal(3, request.Labels!.Count);
        Assert.Equal(128, request.MemoryLimitMiB);
        Assert.Equal("Edge", request.Class);
    }

    [Fact]
    public void TryCreateRequest_AnyClassAndBlankName_LeavesThemUnset()
    {
        var input = new DeployInput { ModuleHash = "abc", Name = "  " };

        Assert.True(input.TryCreateRequest(out var request, out _));

        Assert.Null(request.Class);
        Assert.Null(request.Name);
        Assert.Empty(request.Args!);
    }

    [Fact]
    public void TryCreateRequest_SeveralMistakes_ReportsEveryOne()
    {
        var input = new DeployInput { ModuleHash = null, MemoryLimitMiB = 0, Env = "A=1\nA=2\nbad", Labels = "=x" };

        Assert.False(input.TryCreateRequest(out _, out var errors));

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("Pick a module", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("at least 1 MiB", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("\"A\" is given twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("\"bad\" is not KEY=VALUE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Labels", StringComparison.Ordinal));
    }

    [Fact]
    public void SplitArgs_EmptyQuotes_KeepsEmptyArgument()
    {
        Assert.Equal(["a", "", "b"], DeployInput.SplitArgs("a \"\" b"));
    }

    [Theory]
    [InlineData(WorkloadPriority.Low, "Low")]
    [InlineData(WorkloadPriority.Normal, "Normal")]
    [InlineData(WorkloadPriority.High, "High")]
    public void TryCreateRequest_Priority_IsSent(WorkloadPriority priority, string sent)
    {
        var input = new DeployInput { ModuleHash = "abc", Priority = priority };

        Assert.True(input.TryCreateRequest(out var request, out _));

        Assert.Equal(sent, request.Priority);
    }
}
