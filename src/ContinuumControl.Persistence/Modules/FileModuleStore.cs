namespace ContinuumControl.Persistence.Modules;

/// <summary>Stores modules as files named by their hash; writes go to a temporary file first so no reader sees half a module.</summary>
public sealed class FileModuleStore(string directory) : IModuleStore
{
    public async Task PutAsync(string hash, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(hash);
        if (File.Exists(path))
        {
            return;
        }
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, bytes.ToArray(), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public Stream? OpenRead(string hash)
    {
        var path = PathFor(hash);
        return File.Exists(path) ? File.OpenRead(path) : null;
    }

    private string PathFor(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("a module hash is 64 lower-case hex digits", nameof(hash));
        }
        return Path.Combine(directory, hash + ".wasm");
    }
}
