using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ContinuumControl.Contracts;

namespace ContinuumControl.Agent.Workloads;

/// <summary>Module bytes by hash: from the local cache, else downloaded once from the server and verified.</summary>
public sealed class ModuleCache(AgentOptions options, IHttpClientFactory http, Connection.NodeCredentialFile? credential = null)
{
    private readonly Connection.NodeCredentialFile _credential = credential ?? new Connection.NodeCredentialFile(options);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private string Directory => Path.Combine(Path.GetFullPath(options.DataDirectory), "modules");

    public async Task<byte[]> GetAsync(string hash, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, hash + ".wasm");
        var gate = _locks.GetOrAdd(hash, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path))
            {
                var cached = await File.ReadAllBytesAsync(path, cancellationToken);
                if (Matches(cached, hash))
                {
                    return cached;
                }
            }
            var bytes = await DownloadAsync(hash, cancellationToken);
            System.IO.Directory.CreateDirectory(Directory);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
            File.Move(temp, path, overwrite: true);
            return bytes;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<byte[]> DownloadAsync(string hash, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(options.ServerUrl), Routes.AgentModuleFor(hash)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _credential.Bearer);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"could not download module {hash}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!Matches(bytes, hash))
        {
            throw new InvalidOperationException($"module {hash} arrived corrupted: its SHA-256 does not match");
        }
        return bytes;
    }

    private static bool Matches(byte[] bytes, string hash) => Convert.ToHexStringLower(SHA256.HashData(bytes)) == hash;
}
