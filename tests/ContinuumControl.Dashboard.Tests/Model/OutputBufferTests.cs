using ContinuumControl.Contracts.Api;
using ContinuumControl.Dashboard.Model;

namespace ContinuumControl.Dashboard.Tests.Model;

public sealed class OutputBufferTests
{
    [Fact]
    public void Append_ContiguousSlices_ConcatenatesThem()
    {
        var buffer = new OutputBuffer("stdout");

        Assert.Equal(OutputAppendResult.Appended, buffer.Append(new OutputDto("stdout", 0, 3, "ab\n", false)));
        Assert.Equal(OutputAppendResult.Appended, buffer.Append(new OutputDto("stdout", 3, 6, "cd\n", false)));

        Assert.Equal("ab\ncd\n", buffer.Text);
        Assert.Equal(6, buffer.NextOffset);
    }

    [Fact]
    public void Append_SliceAlreadyHeld_ReportsDuplicate()
    {
        var buffer = new OutputBuffer("stdout");
        buffer.Append(new OutputDto("stdout", 0, 3, "ab\n", false));

        Assert.Equal(OutputAppendResult.Duplicate, buffer.Append(new OutputDto("stdout", 0, 3, "ab\n", false)));
        Assert.Equal("ab\n", buffer.Text);
    }

    [Fact]
    public void Append_OverlappingSlice_AddsOnlyTheNewBytes()
    {
        var buffer = new OutputBuffer("stdout");
        buffer.Append(new OutputDto("stdout", 0, 3, "ñb", false));

        Assert.Equal(OutputAppendResult.Appended, buffer.Append(new OutputDto("stdout", 0, 5, "ñbcd", false)));

        Assert.Equal("ñbcd", buffer.Text);
        Assert.Equal(5, buffer.NextOffset);
    }

    [Fact]
    public void Append_SliceAfterAHole_ReportsGapAndKeepsText()
    {
        var buffer = new OutputBuffer("stdout");
        buffer.Append(new OutputDto("stdout", 0, 2, "ab", false));

        Assert.Equal(OutputAppendResult.Gap, buffer.Append(new OutputDto("stdout", 5, 7, "fg", false)));
        Assert.Equal("ab", buffer.Text);
        Assert.Equal(2, buffer.NextOffset);
    }

    [Fact]
    public void Append_PastLimit_KeepsTheEndAndSaysSo()
    {
        var buffer = new OutputBuffer("stdout", maxChars: 4);

        buffer.Append(new OutputDto("stdout", 0, 6, "abcdef", true));

        Assert.Equal("cdef", buffer.Text);
        Assert.True(buffer.Truncated);
        Assert.True(buffer.Finished);
    }

    [Fact]
    public void Append_ManySmallSlices_GroupsThemIntoFewSegments()
    {
        var buffer = new OutputBuffer("stdout");
        long offset = 0;

        for (var i = 0; i < 1000; i++)
        {
            buffer.Append(new OutputDto("stdout", offset, offset + 10, "123456789\n", false));
            offset += 10;
        }

        Assert.Equal(3, buffer.Segments.Count());
        Assert.Equal(10_000, buffer.Text.Length);
    }

    [Fact]
    public void Append_PastLimitOverManySlices_DropsOldestSegments()
    {
        var buffer = new OutputBuffer("stdout", maxChars: 10_000);
        long offset = 0;

        for (var i = 0; i < 3; i++)
        {
            var text = new string((char)('a' + i), OutputBuffer.SegmentChars);
            buffer.Append(new OutputDto("stdout", offset, offset + text.Length, text, false));
            offset += text.Length;
        }

        Assert.True(buffer.Truncated);
        Assert.StartsWith("b", buffer.Text, StringComparison.Ordinal);
        Assert.EndsWith("c", buffer.Text, StringComparison.Ordinal);
    }
}
