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

/// <summary>
/// One output stream of one workload, kept by byte offset so a slice that arrives twice (initial fetch and stream
/// overlapping) is added once, and a missed slice is noticed instead of leaving a hole.
/// </summary>
public sealed class OutputBuffer(string stream, int maxChars = 1 << 20)
{
    private readonly StringBuilder _text = new();
    private string? _cached;

    public string Stream { get; } = stream;

    /// <summary>Byte offset to ask for next.</summary>
    public long NextOffset { get; private set; }

    /// <summary>The workload finished and the server said nothing more will come.</summary>
    public bool Finished { get; private set; }

    /// <summary>True when the start was dropped to keep at most maxChars characters.</summary>
    public bool Truncated { get; private set; }

    public string Text => _cached ??= _text.ToString();

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
        _text.Append(text);
        NextOffset = slice.NextOffset;
        if (_text.Length > maxChars)
        {
            _text.Remove(0, _text.Length - maxChars);
            Truncated = true;
        }

        _cached = null;
        return OutputAppendResult.Appended;
    }

    private static string Tail(OutputDto slice, long from)
    {
        var bytes = Encoding.UTF8.GetBytes(slice.Text);
        var skip = (int)Math.Min(bytes.Length, from - slice.Offset);
        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
