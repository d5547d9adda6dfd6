using System.Text;
using ContinuumControl.Contracts.Api;

namespace ContinuumControl.Dashboard.Model;

/// <summary>What <see cref="OutputBuffer.Append"/> did with a slice.</summary>
public enum OutputAppendResult
{
    /// <summary>New text was added (possibly only the part not held yet).</summary>
    Appended,

    /// <summary>Everything in the slice was already held.</summary>
    Duplicate,

    /// <summary>The slice starts after the held text: the caller must fetch the bytes in between first.</summary>
    Gap,
}

/// <summary>A piece of held output; pieces are rendered one element each, so appending re-sends only the last piece.</summary>
public sealed record OutputSegment(long Id, string Text);

/// <summary>
/// One output stream of one workload, kept by byte offset so a slice that arrives twice (initial fetch and stream
/// overlapping) is added once, and a missed slice is noticed instead of leaving a hole. Text is held in segments of
/// about <see cref="SegmentChars"/> characters; past maxChars the oldest segments are dropped.
/// </summary>
public sealed class OutputBuffer(string stream, int maxChars = 1 << 20)
{
    public const int SegmentChars = 4096;

    private readonly LinkedList<OutputSegment> _segments = new();
    private long _nextSegmentId;
    private int _chars;

    public string Stream { get; } = stream;

    /// <summary>Byte offset to ask for next.</summary>
    public long NextOffset { get; private set; }

    /// <summary>The workload finished and the server said nothing more will come.</summary>
    public bool Finished { get; private set; }

    /// <summary>True when the start was dropped to keep at most maxChars characters.</summary>
    public bool Truncated { get; private set; }

    public IEnumerable<OutputSegment> Segments => _segments;

    public string Text => string.Concat(_segments.Select(s => s.Text));

    public OutputAppendResult Append(OutputDto slice)
    {
        if (slice.Offset > NextOffset)
        {
            return OutputAppendResult.Gap;
        }

        Finished |= slice.Finished;
        if (slice.NextOffset <= NextOffset)
        {
            return OutputAppendResult.Duplicate;
        }

        var text = slice.Offset == NextOffset ? slice.Text : Tail(slice, NextOffset);
        NextOffset = slice.NextOffset;
        Add(text);
        return OutputAppendResult.Appended;
    }

    private void Add(string text)
    {
        if (text.Length >= maxChars)
        {
            _segments.Clear();
            _chars = 0;
            text = text[^maxChars..];
            Truncated = true;
        }

        if (_segments.Last is { } last && last.Value.Text.Length + text.Length <= SegmentChars)
        {
            last.Value = last.Value with { Text = last.Value.Text + text };
        }
        else
        {
            _segments.AddLast(new OutputSegment(_nextSegmentId++, text));
        }

        _chars += text.Length;
        while (_chars > maxChars && _segments.Count > 1 && _segments.First is { } first)
        {
            _chars -= first.Value.Text.Length;
            _segments.RemoveFirst();
            Truncated = true;
        }
    }

    private static string Tail(OutputDto slice, long from)
    {
        var bytes = Encoding.UTF8.GetBytes(slice.Text);
        var skip = (int)Math.Min(bytes.Length, from - slice.Offset);
        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
