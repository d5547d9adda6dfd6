namespace ContinuumControl.Runtime.Execution;

/// <summary>Receives what a workload writes. Called on a Wasmtime thread: copy the bytes and return quickly.</summary>
public interface IOutputSink
{
    void Write(bool stderr, ReadOnlySpan<byte> data);
}
