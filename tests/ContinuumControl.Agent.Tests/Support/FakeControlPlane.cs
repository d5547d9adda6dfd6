using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using ContinuumControl.Contracts;
using ContinuumControl.Contracts.Checkpoints;

namespace ContinuumControl.Agent.Tests.Support;

/// <summary>The control plane's HTTP side as agents use it: module downloads and the chunk store (upload and batched fetch), in memory.</summary>
internal sealed class FakeControlPlane : HttpMessageHandler, IHttpClientFactory
{
    private readonly ConcurrentDictionary<string, byte[]> _modules = new();

    public ConcurrentDictionary<string, byte[]> Chunks { get; } = new();

    /// <summary>Serves <paramref name="bytes"/> as a module; returns its hash.</summary>
    public string AddModule(byte[] bytes)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        _modules[hash] = bytes;
        return hash;
    }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path == ChunkBatch.UploadRoute)
        {
            foreach (var (hash, bytes) in ChunkBatch.Read(await request.Content!.ReadAsByteArrayAsync(cancellationToken)))
            {
                Chunks[hash] = bytes;
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
        if (request.Method == HttpMethod.Post && path == ChunkBatch.FetchRoute)
        {
            var names = ChunkBatch.ReadNames(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            if (names.FirstOrDefault(n => !Chunks.ContainsKey(n)) is { } missing)
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($"no chunk {missing}") };
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(ChunkBatch.Write(names.Select(n => (n, Chunks[n])).ToList())) };
        }
        if (request.Method == HttpMethod.Get && path.StartsWith(Routes.AgentChunkFor(""), StringComparison.Ordinal)
            && Chunks.TryGetValue(path[Routes.AgentChunkFor("").Length..], out var chunk))
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(chunk) };
        }
        if (request.Method == HttpMethod.Get && path.StartsWith(Routes.AgentModuleFor(""), StringComparison.Ordinal)
            && _modules.TryGetValue(path[Routes.AgentModuleFor("").Length..], out var module))
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(module) };
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }
}
