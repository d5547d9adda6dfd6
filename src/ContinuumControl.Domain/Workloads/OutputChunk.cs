namespace ContinuumControl.Domain.Workloads;

/// <summary>A contiguous piece of one output stream, at its byte offset in that stream.</summary>
public sealed class OutputChunk
{
    public long Id { get; set; }
    public Guid WorkloadId { get; set; }
    public OutputStream Stream { get; set; }
    public long Offset { get; set; }
    public required byte[] Data { get; set; }
}
