using ContinuumControl.Runtime.Execution;

namespace ContinuumControl.Runtime.Tests.Support;

/// <summary>Collects output and fails on any piece that does not start where its stream ends: nothing lost, nothing doubled.</summary>
internal sealed class ContiguousSink : IOutputSink
{
    private readonly Lock sync = new();
    private readonly MemoryStream stdout = new();
    private readonly MemoryStream stderr = new();

    public string? Error { get; private set; }

    public int Writes { get; private set; }

    public byte[] Stdout { get { lock (sync) { return stdout.ToArray(); } } }

    public byte[] Stderr { get { lock (sync) { return stderr.ToArray(); } } }

    public void Write(bool stderr, ReadOnlySpan<byte> data) => throw new InvalidOperationException("the runtime must report offsets");

    public void Write(bool isStderr, long offset, ReadOnlySpan<byte> data)
    {
        lock (sync)
        {
            Writes++;
            var stream = isStderr ? stderr : stdout;
            if (offset != stream.Length)
            {
                Error ??= $"{(isStderr ? "stderr" : "stdout")} piece of {data.Length} bytes at offset {offset}, but the stream ends at {stream.Length}";
                return;
            }
            stream.Write(data);
        }
    }
}
