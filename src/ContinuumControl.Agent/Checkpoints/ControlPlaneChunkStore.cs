using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using ContinuumControl.Contracts;
using ContinuumControl.Runtime.Checkpoints;

namespace ContinuumControl.Agent.Checkpoints;

/// <summary>
/// The control plane's chunk store over HTTP. Remembers what this agent uploaded, so successive checkpoints of a
/// workload (pre-copy, then the final stop-and-copy) only send the pages that changed in between.
/// </summary>
public sealed class ControlPlaneChunkStore(AgentOptions options, IHttpClientFactory http) : IChunkStore
{
    private readonly ConcurrentDictionary<string, bool> _uploaded = new();
    private long _bytesUploaded;

    /// <summary>Compressed bytes this store has sent since the agent started.</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    public ValueTask<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => ValueTask.FromResult(_uploaded.ContainsKey(hash));

    public async ValueTask PutAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken = default)
    {
        using var client = Client();
        using var content = new ReadOnlyMemoryContent(compressed);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zstd");
        using var response = await client.PutAsync(Routes.AgentChunkFor(hash), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        _uploaded[hash] = true;
        Interlocked.Add(ref _bytesUploaded, compressed.Length);
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

    private HttpClient Client()
    {
        var client = http.CreateClient(nameof(ControlPlaneChunkStore));
        client.BaseAddress = new Uri(options.ServerUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.JoinToken);
        return client;
    }
}
