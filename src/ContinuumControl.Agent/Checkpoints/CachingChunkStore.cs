using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Checkpoints;

/// <summary>A target's view of the chunk store: chunks it already has are read locally; only missing ones are fetched.</summary>
public sealed class CachingChunkStore(FileChunkStore local, ControlPlaneChunkStore remote) : IChunkStore
{
    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => local.ContainsAsync(hash, cancellationToken);

    public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default) =>
        local.PutAsync(hash, compressed, cancellationToken);

    public async ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) =>
        await local.GetAsync(hash, cancellationToken) ?? await FetchAsync(hash, cancellationToken);

    /// <summary>Fetches every listed chunk the local cache lacks, a few at a time; returns the bytes fetched.</summary>
    public async Task<long> FetchMissingAsync(IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        long fetched = 0;
        await Parallel.ForEachAsync(hashes.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (hash, ct) =>
        {
            if (!await local.ContainsAsync(hash, ct))
            {
                var bytes = await FetchAsync(hash, ct) ?? throw new InvalidOperationException($"the control plane has no chunk {hash}");
                Interlocked.Add(ref fetched, bytes.Length);
            }
        });
        return fetched;
    }

    private async Task<byte[]?> FetchAsync(string hash, CancellationToken cancellationToken)
    {
        var bytes = await remote.GetAsync(hash, cancellationToken);
        if (bytes is not null)
        {
            await local.PutAsync(hash, bytes, cancellationToken);
        }
        return bytes;
    }
}
