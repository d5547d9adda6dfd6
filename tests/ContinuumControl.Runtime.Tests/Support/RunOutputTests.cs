namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>The byte-wise comparison every migration test ends with can fail, on either stream.</summary>
public class RunOutputTests
{
    [Fact]
    public void AssertSameAs_OneStderrByteDiffers_FailsNamingStderrAndTheOffset()
    {
        var sink = new CollectingSink();
        sink.Write(false, 0, "same\n"u8);
        sink.Write(true, 0, "warn: b\n"u8);

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => new RunOutput("same\n"u8.ToArray(), "warn: a\n"u8.ToArray()).AssertSameAs(sink));

        Assert.Contains("stderr differs from the unmoved run's at byte 6", failure.Message);
    }

    [Fact]
    public void AssertSameAs_StdoutCutShort_FailsWithBothLengths()
    {
        var sink = new CollectingSink();
        sink.Write(false, 0, "line 1\n"u8);

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => new RunOutput("line 1\nline 2\n"u8.ToArray(), []).AssertSameAs(sink));

        Assert.Contains("stdout differs from the unmoved run's at byte 7 (expected 14 bytes, got 7)", failure.Message);
    }
}
