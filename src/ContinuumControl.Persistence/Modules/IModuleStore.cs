namespace ContinuumControl.Persistence.Modules;

/// <summary>Module bytes by content hash.</summary>
public interface IModuleStore
{
    Task PutAsync(string hash, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Opens the module for reading, or null when it is not stored.</summary>
    Stream? OpenRead(string hash);
}
