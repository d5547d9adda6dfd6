using System.Security.Cryptography;
using ContinuumControl.Runtime.Checkpoints;
using ZstdSharp;

namespace ContinuumControl.Runtime.Tests.Checkpoints;

/// <summary>A page that did not compress is read straight from its chunk file; everything else goes through zstd.</summary>
public class RawZstdFrameTests
{
    private const int Page = CheckpointManifest.PageSize;

    private static byte[] Compress(byte[] page) => new Compressor(1).Wrap(page).ToArray();

    [Fact]
    public void RandomPage_IsOneRawBlock_WhoseContentIsThePage()
    {
        var page = RandomNumberGenerator.GetBytes(Page);
        var chunk = Compress(page);

        var offset = RawZstdFrame.ContentOffset(chunk.AsSpan(0, RawZstdFrame.HeaderLimit), chunk.Length, Page);

        Assert.NotNull(offset);
        Assert.Equal(page, chunk.AsSpan((int)offset.Value, Page).ToArray());
    }

    [Fact]
    public void CompressiblePage_IsNotRaw()
    {
        var page = new byte[Page];
        page.AsSpan().Fill(7);
        var chunk = Compress(page);

        Assert.Null(RawZstdFrame.ContentOffset(chunk.AsSpan(0, Math.Min(chunk.Length, RawZstdFrame.HeaderLimit)), chunk.Length, Page));
    }

    [Fact]
    public void TruncatedOrLongerFile_OrWrongMagic_IsNotTakenAsRaw()
    {
        var chunk = Compress(RandomNumberGenerator.GetBytes(Page));
        var head = chunk.AsSpan(0, RawZstdFrame.HeaderLimit).ToArray();

        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length - 1, Page));
        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length + 1, Page));
        head[0] ^= 0xFF;
        Assert.Null(RawZstdFrame.ContentOffset(head, chunk.Length, Page));
    }
}
