using System.Security.Cryptography;
using ZstdSharp;

namespace ContinuumControl.Server.Tests.Fixtures;

/// <summary>Real checkpoint chunks (a zstd-compressed 64 KiB page named by its SHA-256), which the control plane checks on upload.</summary>
public static class TestChunks
{
    /// <summary>A page of random content, compressed, under its name.</summary>
    public static (string Hash, byte[] Bytes) Random()
    {
        var page = RandomNumberGenerator.GetBytes(65536);
        using var compressor = new Compressor(1);
        return (Convert.ToHexStringLower(SHA256.HashData(page)), compressor.Wrap(page).ToArray());
    }

    /// <summary>A real chunk stored under another chunk's name: it decompresses fine, but its content does not hash to that name.</summary>
    public static (string Hash, byte[] Bytes) Misnamed() => (Random().Hash, Random().Bytes);
}
