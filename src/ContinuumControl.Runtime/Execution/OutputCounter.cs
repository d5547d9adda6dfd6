namespace ContinuumControl.Runtime.Execution;

/// <summary>
/// Forwards guest output to a sink with the byte offset of each write in its stream. A restored workload starts at
/// the offsets its checkpoint recorded, so one workload's output reads as one stream across every node it ran on.
/// </summary>
internal sealed class OutputCounter(IOutputSink sink, long stdoutOffset, long stderrOffset)
{
    private long stdout = stdoutOffset;
    private long stderr = stderrOffset;

    public long StdoutOffset => Interlocked.Read(ref stdout);

    public long StderrOffset => Interlocked.Read(ref stderr);

    public void Write(bool isStderr, ReadOnlySpan<byte> data)
    {
        ref var offset = ref isStderr ? ref stderr : ref stdout;
        var at = Interlocked.Add(ref offset, data.Length) - data.Length;
        sink.Write(isStderr, at, data);
    }
}
