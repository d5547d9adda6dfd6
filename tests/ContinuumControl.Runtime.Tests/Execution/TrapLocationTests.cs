using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Execution;

public class TrapLocationTests
{
    [Theory]
    [InlineData("_ZN3std7process5abort17h7684f52b170e25fcE", "std::process::abort")]
    [InlineData("_ZN15check_invariant15check_invariant17hc433578f4f42207eE", "check_invariant::check_invariant")]
    [InlineData("check_invariant", "check_invariant")]
    [InlineData("_ZN3fooE", "foo")]
    [InlineData("_ZN99tooLongE", "_ZN99tooLongE")]
    public void Demangle_RustLegacyOrPlainName_ReadsAsSource(string name, string expected) =>
        Assert.Equal(expected, TrapLocation.Demangle(name));
}
