using ContinuumControl.Runtime.Checkpoints;
using ContinuumControl.Server.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using System.Security.Cryptography;

namespace ContinuumControl.Server.Tests.Checkpoints;

/// <summary>The control plane's chunk store answers uploads from memory and writes them to disk behind, on a real file system.</summary>
public sealed class WriteBehindChunkStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cc-writebehind-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
        if (File.Exists(_root))
        {
            File.Delete(_root);
        }
    }

    private static string Name(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private WriteBehindChunkStore Store(long maxPendingBytes = 1024 * 1024) =>
        new(new FileChunkStore(_root), NullLogger<WriteBehindChunkStore>.Instance, maxPendingBytes);

    [Fact]
    public async Task Put_IsReadableAtOnce_AndReachesTheDisk()
    {
        using var store = Store();
        byte[] bytes = [1, 2, 3, 4];
        var hash = Name(bytes);

        await store.PutAsync(hash, bytes);
        Assert.True(await store.ContainsAsync(hash));
        Assert.Equal(bytes, await store.GetAsync(hash));

        Assert.Null(await store.EnsureStoredAsync([hash], CancellationToken.None));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(new FileChunkStore(_root).PathOf(hash)));
        Assert.Equal(0, store.PendingBytes);
        Assert.Equal(bytes, await store.GetAsync(hash));
    }

    [Fact]
    public async Task EnsureStored_NamesAChunkThatWasNeverUploaded()
    {
        using var store = Store();
        byte[] bytes = [9];
        await store.PutAsync(Name(bytes), bytes);
        var missing = Name([8]);

        var problem = await store.EnsureStoredAsync([Name(bytes), missing], CancellationToken.None);

        Assert.Equal($"the control plane does not have chunk {missing}", problem);
    }

    [Fact]
    public async Task EnsureStored_SaysWhyAChunkCouldNotBeWritten_AndTheChunkIsNotServed()
    {
        // The store's root is a file, so no chunk directory can be created: every disk write fails.
        await File.WriteAllTextAsync(_root, "not a directory");
        using var store = Store();
        byte[] bytes = [5, 5];
        var hash = Name(bytes);

        await store.PutAsync(hash, bytes);
        var problem = await store.EnsureStoredAsync([hash], CancellationToken.None);

        Assert.NotNull(problem);
        Assert.StartsWith($"the control plane could not store chunk {hash}: ", problem);
        Assert.Null(await store.GetAsync(hash));
        Assert.False(await store.ContainsAsync(hash));
    }

    [Fact]
    public async Task Stop_WritesEverythingReceivedFirst()
    {
        var store = Store();
        var chunks = Enumerable.Range(0, 50).Select(i => new byte[] { (byte)i, 1, 2 }).ToList();
        foreach (var bytes in chunks)
        {
            await store.PutAsync(Name(bytes), bytes);
        }

        await store.StopAsync(CancellationToken.None);
        store.Dispose();

        var disk = new FileChunkStore(_root);
        Assert.All(chunks, bytes => Assert.True(File.Exists(disk.PathOf(Name(bytes))), "every chunk received before shutdown is on disk"));
    }

    [Fact]
    public async Task Put_BeyondTheMemoryBudget_WritesThrough()
    {
        using var store = Store(maxPendingBytes: 0);
        byte[] bytes = [7, 7, 7];
        var hash = Name(bytes);

        await store.PutAsync(hash, bytes);

        Assert.True(File.Exists(new FileChunkStore(_root).PathOf(hash)), "with no memory budget the upload is on disk when it returns");
        Assert.Equal(0, store.PendingBytes);
    }

    [Fact]
    public async Task Put_MalformedName_IsRefusedAtOnce()
    {
        using var store = Store();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutAsync("NOT-A-HASH", new byte[] { 1 }));
    }
}
