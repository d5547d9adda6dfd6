namespace ContinuumControl.Contracts.Agents;

/// <summary>Output a workload wrote, at its byte offset in the stream, so that replays are idempotent.</summary>
/// <param name="Stream">"stdout" or "stderr".</param>
public sealed record OutputAppend(Guid WorkloadId, long Generation, string Stream, long Offset, byte[] Data);
