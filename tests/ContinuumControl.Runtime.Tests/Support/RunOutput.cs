namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>What a run wrote to stdout and stderr, as bytes: a move must reproduce both exactly.</summary>
internal sealed record RunOutput(byte[] Stdout, byte[] Stderr)
{
    public static RunOutput Of(CollectingSink sink) => new(sink.Stdout, sink.Stderr);

    /// <summary>Fails naming the stream and the first byte that differs, unless both streams are byte-identical.</summary>
    public void AssertSameAs(CollectingSink actual)
    {
        Same("stdout", Stdout, actual.Stdout);
        Same("stderr", Stderr, actual.Stderr);
    }

    private static void Same(string stream, byte[] expected, byte[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }
        var at = expected.AsSpan().CommonPrefixLength(actual);
        throw new Xunit.Sdk.XunitException($"{stream} differs from the unmoved run's at byte {at} (expected {expected.Length} bytes, got {actual.Length}); "
            + $"expected …{Excerpt(expected, at)}…, got …{Excerpt(actual, at)}…");
    }

    private static string Excerpt(byte[] bytes, int at)
    {
        var from = Math.Max(0, at - 20);
        return System.Text.Encoding.UTF8.GetString(bytes, from, Math.Min(bytes.Length, at + 20) - from).ReplaceLineEndings("⏎");
    }
}
