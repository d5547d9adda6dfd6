namespace ContinuumControl.Contracts.Api;

/// <summary>A slice of a workload's output stream.</summary>
/// <param name="Offset">Byte offset of <paramref name="Text"/> in the stream.</param>
/// <param name="NextOffset">Offset to ask for next.</param>
/// <param name="Finished">True when the workload has finished and nothing more will come.</param>
public sealed record OutputDto(string Stream, long Offset, long NextOffset, string Text, bool Finished);
