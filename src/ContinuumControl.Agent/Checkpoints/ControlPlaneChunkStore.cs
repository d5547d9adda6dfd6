using ContinuumControl.Contracts.Checkpoints;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using ContinuumControl.Contracts;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Checkpoints;

/// <summary>
/// The control plane's chunk store over HTTP. Remembers what this agent uploaded, so successive checkpoints of a
/// workload (pre-copy, then the final stop-and-copy) only send the pages that changed in between.
/// Uploads are batched: <see cref="PutAsync"/> queues a chunk and sends a batch (<see cref="ChunkBatch"/>) in the
/// background once enough are queued; <see cref="FlushAsync"/> must be awaited before a manifest naming the chunks is
/// handed to anyone. Fetches of many chunks go in batches too (<see cref="GetManyAsync"/>).
/// </summary>
public sealed class ControlPlaneChunkStore(AgentOptions options, IHttpClientFactory http, Connection.NodeCredentialFile? credential = null) : IChunkStore
{
    private readonly Connection.NodeCredentialFile _credential = credential ?? new Connection.NodeCredentialFile(options);
    private const int BatchChunks = 64;
    private readonly ConcurrentDictionary<string, bool> _uploaded = new();
    private readonly object _gate = new();
    private List<(string Hash, byte[] Bytes)> _pending = [];
    private long _pendingBytes;
    private readonly List<Task> _inFlight = [];
    private long _bytesUploaded;
    private long _epoch;

    /// <summary>Compressed bytes this store has sent since the agent started.</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    /// <summary>True once the chunk was uploaded or queued for upload by this agent (queued ones are sent by the next <see cref="FlushAsync"/> at the latest).</summary>
    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => ValueTask.FromResult(_uploaded.ContainsKey(hash));

    public ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default)
    {
        if (!_uploaded.TryAdd(hash, true))
        {
            return ValueTask.CompletedTask;
        }
        lock (_gate)
        {
            _pending.Add((hash, compressed.ToArray()));
            _pendingBytes += compressed.Length;
            if (_pending.Count >= BatchChunks || _pendingBytes >= ChunkBatch.TargetBatchBytes)
            {
                SendPendingLocked();
            }
        }
        return ValueTask.CompletedTask;
    }

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Forgets what this agent uploaded, so the next checkpoints send every chunk again. Called when the control plane
    /// may have lost chunks: on every (re)connection (it may have restarted with chunks not yet on its disk), when it
    /// refuses a checkpoint for missing chunks, and when a migration is aborted.
    /// </summary>
    public void Forget()
    {
        _uploaded.Clear();
        Interlocked.Increment(ref _epoch);
    }

    /// <summary>Sends what is queued and waits until every upload started so far has been stored by the control plane.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task[] waiting;
        List<(string Hash, byte[] Bytes)>? last = null;
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                last = TakePendingLocked();
            }
            waiting = [.. _inFlight];
        }
        if (last is not null)
        {
            // Sent from this thread, not queued to the pool: the last batch of a migration's final checkpoint is on
            // the critical path, and on a busy machine a thread hop costs milliseconds.
            var upload = UploadAsync(last);
            lock (_gate)
            {
                _inFlight.Add(upload);
            }
            waiting = [.. waiting, upload];
        }
        await WaitForAsync(waiting, cancellationToken);
    }

    /// <summary>
    /// For a migration's final checkpoint: waits for the batches already sent, then hands back copies of the queued
    /// chunks that <paramref name="names"/> lists (at most <paramref name="maxBytes"/> and
    /// <see cref="ChunkBatch.MaxChunks"/>) for the caller to deliver with its report. Returns null when none of them is
    /// queued, or when too many are: then the queue is uploaded like <see cref="FlushAsync"/>.
    /// <para>
    /// Copies: the chunks stay queued for a normal upload. The queue is the agent's, shared by its workloads, and
    /// another workload's checkpoint may name the same chunk (identical pages) and count on its upload; taking every
    /// queued chunk, as this once did, also sent other workloads' chunks with this report, and when that migration
    /// aborted they were never stored (a concurrent migration of the other workload then failed).
    /// </para>
    /// </summary>
    public async Task<List<(string Hash, byte[] Bytes)>?> CopyQueuedAsync(IReadOnlySet<string> names, int maxBytes, CancellationToken cancellationToken = default)
    {
        List<(string Hash, byte[] Bytes)> ours;
        Task[] waiting;
        lock (_gate)
        {
            ours = _pending.Where(c => names.Contains(c.Hash)).ToList();
            waiting = [.. _inFlight];
        }
        if (ours.Count > ChunkBatch.MaxChunks || ours.Sum(c => (long)c.Bytes.Length) > maxBytes)
        {
            await FlushAsync(cancellationToken);
            return null;
        }
        await WaitForAsync(waiting, cancellationToken);
        return ours.Count > 0 ? ours : null;
    }

    private async Task WaitForAsync(Task[] uploads, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(uploads).WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
    }

    private void SendPendingLocked()
    {
        var batch = TakePendingLocked();
        _inFlight.Add(Task.Run(() => UploadAsync(batch)));
    }

    private List<(string Hash, byte[] Bytes)> TakePendingLocked()
    {
        var batch = _pending;
        _pending = [];
        _pendingBytes = 0;
        return batch;
    }

    private async Task UploadAsync(List<(string Hash, byte[] Bytes)> batch)
    {
        try
        {
            using var client = Client();
            using var content = new ByteArrayContent(ChunkBatch.Write(batch));
            content.Headers.ContentType = new MediaTypeHeaderValue(ChunkBatch.ContentType);
            using var response = await client.PostAsync(ChunkBatch.UploadRoute, content);
            response.EnsureSuccessStatusCode();
            Interlocked.Add(ref _bytesUploaded, batch.Sum(c => (long)c.Bytes.Length));
        }
        catch
        {
            // Not stored: a later checkpoint must send these again.
            foreach (var (hash, _) in batch)
            {
                _uploaded.TryRemove(hash, out _);
            }
            throw;
        }
    }

    public async ValueTask<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default)
    {
        using var client = Client();
        using var response = await client.GetAsync(Routes.AgentChunkFor(hash), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Fetches up to <see cref="ChunkBatch.MaxChunks"/> chunks in one request; throws naming a chunk the control plane lacks.</summary>
    public async Task<List<(string Hash, byte[] Bytes)>> GetManyAsync(IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        using var client = Client();
        using var content = new ByteArrayContent(ChunkBatch.WriteNames(hashes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(ChunkBatch.FetchRoute, content, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"the control plane lacks a chunk of the checkpoint: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        response.EnsureSuccessStatusCode();
        var chunks = ChunkBatch.Read(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        if (chunks.Count != hashes.Count)
        {
            throw new InvalidOperationException($"the control plane answered {chunks.Count} chunks for {hashes.Count} asked");
        }
        return chunks;
    }

    private HttpClient Client()
    {
        var client = http.CreateClient(nameof(ControlPlaneChunkStore));
        client.BaseAddress = new Uri(options.ServerUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _credential.Bearer);
        return client;
    }
}
