namespace ContinuumControl.Runtime.Execution;

/// <summary>Receives what a workload writes. Called on a runtime thread in large pieces (not once per guest write): copy the bytes and return quickly.</summary>
public interface IOutputSink
{
    void Write(bool stderr, ReadOnlySpan<byte> data);

    /// <summary>
    /// Receives a write together with its byte offset in the stream (stdout or stderr). Offsets continue across
    /// checkpoints and restores; override this to store output by offset. The default forwards to <see cref="Write(bool, ReadOnlySpan{byte})"/>.
    /// </summary>
    void Write(bool stderr, long offset, ReadOnlySpan<byte> data) => Write(stderr, data);

    /// <summary>
    /// True while the sink holds more than it wants to: the runtime then stops reading the guest's output (which
    /// waits in files on disk, not in memory) until it is false again. Checkpoints still take everything written.
    /// </summary>
    bool Backlogged => false;
}
