using ContinuumControl.Runtime.Checkpoints;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ContinuumControl.Server.Checkpoints;

/// <summary>
/// The control plane's chunk store: uploads are answered as soon as their chunks are in memory, and written to disk in
/// the background. A migration's final checkpoint is uploaded while the workload is paused, and creating and renaming
/// files stalls for milliseconds at a time on a busy file system (2-27 ms per upload on the benchmark VM, most of the
/// 1 MiB downtime budget); the disk write now happens while the target already restores.
/// Nothing may depend on a chunk before it is on disk: a checkpoint report is recorded, and a migration committed, only
/// after <see cref="EnsureStoredAsync"/> said every chunk its manifest names is stored. Until then the source keeps its
/// paused state, so a control plane that crashes with chunks in memory loses no workload; agents forget what they
/// uploaded when they reconnect, and upload again.
/// </summary>
public sealed class WriteBehindChunkStore : IChunkStore, IHostedService, IDisposable
{
    private readonly FileChunkStore _disk;
    private readonly long _maxPendingBytes;
    private readonly ILogger<WriteBehindChunkStore> _logger;
    private readonly ConcurrentDictionary<string, PendingChunk> _pending = new(StringComparer.Ordinal);
    private readonly Channel<(string Hash, PendingChunk Chunk)> _queue = Channel.CreateUnbounded<(string, PendingChunk)>(new UnboundedChannelOptions { SingleReader = true });
    private long _pendingBytes;
    private readonly Task _writer;

    public WriteBehindChunkStore(FileChunkStore disk, ILogger<WriteBehindChunkStore> logger, long maxPendingBytes = 256L * 1024 * 1024)
    {
        _disk = disk;
        _logger = logger;
        _maxPendingBytes = maxPendingBytes;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Compressed bytes received but not yet on disk.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) =>
        _pending.ContainsKey(hash) ? ValueTask.FromResult(true) : _disk.ContainsAsync(hash, cancellationToken);

    public async ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default)
    {
        _ = _disk.PathOf(hash); // refuses a malformed name now, not in the background
        if (_pending.ContainsKey(hash) || await _disk.ContainsAsync(hash, cancellationToken))
        {
            return;
        }
        if (PendingBytes + compressed.Length > _maxPendingBytes)
        {
            // The disk does not keep up: write through, so memory stays bounded and the uploader feels the back-pressure.
            await _disk.PutAsync(hash, compressed, cancellationToken);
            return;
        }
        var chunk = new PendingChunk(compressed.ToArray());
        if (_pending.TryAdd(hash, chunk))
        {
            Interlocked.Add(ref _pendingBytes, chunk.Bytes.Length);
            _queue.Writer.TryWrite((hash, chunk));
        }
    }

    public ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) =>
        _pending.TryGetValue(hash, out var chunk) ? ValueTask.FromResult<byte[]?>(chunk.Bytes) : _disk.GetAsync(hash, cancellationToken);

    /// <summary>
    /// Waits until every named chunk is on disk. Returns null when they all are, else a sentence naming the first chunk
    /// the store does not have (never uploaded, lost in a crash before it was written, or its write failed).
    /// </summary>
    public async Task<string?> EnsureStoredAsync(IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        foreach (var hash in hashes)
        {
            if (_pending.TryGetValue(hash, out var chunk))
            {
                try
                {
                    await chunk.Stored.Task.WaitAsync(cancellationToken);
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return $"the control plane could not store chunk {hash}: {ex.Message}";
                }
            }
            if (!await _disk.ContainsAsync(hash, cancellationToken))
            {
                return $"the control plane does not have chunk {hash}";
            }
        }
        return null;
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var (hash, chunk) in _queue.Reader.ReadAllAsync())
        {
            Exception? failure = null;
            try
            {
                await _disk.PutAsync(hash, chunk.Bytes);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Could not write checkpoint chunk {Hash} to disk", hash);
                failure = ex;
            }
            // Readers find the chunk on disk from here on; a failed one is gone, and EnsureStoredAsync says why.
            _pending.TryRemove(new KeyValuePair<string, PendingChunk>(hash, chunk));
            Interlocked.Add(ref _pendingBytes, -chunk.Bytes.Length);
            if (failure is null)
            {
                chunk.Stored.TrySetResult();
            }
            else
            {
                chunk.Stored.TrySetException(failure);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A clean shutdown writes every chunk received before it stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private sealed class PendingChunk(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
