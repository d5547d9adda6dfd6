namespace ContinuumControl.Runtime.Checkpoints;

/// <summary>
/// Content-addressed storage for checkpoint chunks. A chunk's name is the lower-case hex SHA-256 of its
/// uncompressed content; the stored bytes are zstd-compressed. Readers verify the hash, so a store need not be trusted.
/// </summary>
public interface IChunkStore
{
    /// <summary>True when a chunk with this hash is stored (successive checkpoints skip such chunks).</summary>
    ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Stores compressed chunk bytes under <paramref name="hash"/>; storing an existing hash again is harmless.</summary>
    ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default);

    /// <summary>The compressed bytes stored under <paramref name="hash"/>, or null when the store does not have it.</summary>
    ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes whenever the store may have lost chunks it said it held (a remote store whose server restarted).
    /// Writers that remember <see cref="ContainsAsync"/> answers drop them when it changes.
    /// </summary>
    long Epoch => 0;
}
