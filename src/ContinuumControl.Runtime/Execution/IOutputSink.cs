namespace ContinuumControl.Runtime.Execution;

/// <summary>Receives what a workload writes. Called on a Wasmtime thread: copy the bytes and return quickly.</summary>
public interface IOutputSink
{
    void Write(bool stderr, ReadOnlySpan<byte> data);

    /// <summary>
    /// Receives a write together with its byte offset in the stream (stdout or stderr). Offsets continue across
    /// checkpoints and restores; override this to store output by offset. The default forwards to <see cref="Write(bool, ReadOnlySpan{byte})"/>.
    /// </summary>
    void Write(bool stderr, long offset, ReadOnlySpan<byte> data) => Write(stderr, data);
}
