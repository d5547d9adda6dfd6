using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Checkpoints;

/// <summary>
/// A chunk store that claims to hold every chunk and keeps none. For pauses whose state stays in memory (a workload
/// preempted on its own node): the checkpoint writer then neither compresses nor stores a page.
/// </summary>
public sealed class DiscardingChunkStore : IChunkStore
{
    public static DiscardingChunkStore Instance { get; } = new();

    private DiscardingChunkStore()
    {
    }

    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) => ValueTask.FromResult<byte[]?>(null);
}
